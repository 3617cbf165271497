package org.tuninglab.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.testing.TinyModelDir;

/** A model served the way the Hub serves it, loaded by name, then again offline from the cache. */
class HubModelLoadTest {
  @TempDir Path tmp;

  @Test
  void loadsByNameOverHttpThenOfflineFromTheCache() throws IOException {
    Path source = tmp.resolve("source");
    TinyModelDir.write(source, 21, TensorDType.BF16, 1 << 26);
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(source)) {
      for (Path f : (Iterable<Path>) list::iterator) {
        files.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    try (FakeHub hub = new FakeHub()) {
      hub.add("acme/tiny-chat", new FakeHub.Repo("0123456789abcdef0123456789abcdef01234567", files,
          Set.of("model.safetensors"), null, false));
      ModelLocator online = ModelLocator.builder().optCacheDir(tmp.resolve("cache"))
          .optEndpoint(hub.endpoint()).optRetries(2, Duration.ofMillis(1)).build();
      float[] fromHub;
      try (LanguageModel m = LanguageModel.load("acme/tiny-chat", online, Device.cpu(), DataType.FLOAT32)) {
        fromHub = logits(m.pretrained());
        assertTrue(m.complete("hello", GenerationConfig.greedy(4)).tokens().length <= 4);
      }
      int requests = hub.requests().size();
      ModelLocator offline = ModelLocator.builder().optCacheDir(tmp.resolve("cache"))
          .optEndpoint(hub.endpoint()).optOffline(true).build();
      try (LanguageModel m = LanguageModel.load("acme/tiny-chat", offline, Device.cpu(), DataType.FLOAT32);
          PretrainedModel local = PretrainedModel.load(source, Device.cpu(), DataType.FLOAT32)) {
        assertArrayEquals(logits(local), fromHub);
        assertArrayEquals(fromHub, logits(m.pretrained()));
      }
      assertEquals(requests, hub.requests().size(), "offline loading made requests");
    }
  }

  private static float[] logits(PretrainedModel m) {
    try (NDManager step = m.model().manager().newSubManager()) {
      return m.model().forward(step.create(new long[] {7, 100, 3}, new Shape(1, 3))).toFloatArray();
    }
  }
}
