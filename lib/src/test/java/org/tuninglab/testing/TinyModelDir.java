package org.tuninglab.testing;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.model.Architecture;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.tokenize.HfTokenizer;

/**
 * Writes a small but complete model directory in Hugging Face layout: a random Qwen2-style decoder
 * sized to the test tokenizer (byte-level BPE, 272 ids, ChatML template), saved through the
 * library's own writer.
 */
public final class TinyModelDir {
  public static final ModelConfig CONFIG =
      ModelConfig.builder().optArchitecture(Architecture.QWEN2).setVocabSize(272).setHiddenSize(32)
          .setIntermediateSize(48).setNumLayers(2).setNumHeads(4).optNumKvHeads(2)
          .optTieWordEmbeddings(true).optRopeTheta(1e6).build();

  private TinyModelDir() {}

  public static Path tokenizerFixture() {
    try {
      return Path.of(TinyModelDir.class.getResource("/tokenize/bpe/tokenizer.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies the tokenizer files into {@code dir}. */
  public static void copyTokenizer(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (var files = Files.list(tokenizerFixture())) {
      files.forEach(f -> {
        try {
          Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** A random model with the test tokenizer, saved to {@code dir}. */
  public static void write(Path dir, long seed, TensorDType storage, long maxShardBytes) throws IOException {
    copyTokenizer(dir);
    try (LlamaModel model = LlamaModel.create(CONFIG, RandomWeights.everywhere(seed, 0.2), Device.cpu(), DataType.FLOAT32);
        PretrainedModel pretrained = PretrainedModel.of(model, HfTokenizer.load(dir), null)) {
      pretrained.save(dir, storage, maxShardBytes);
    }
  }
}
