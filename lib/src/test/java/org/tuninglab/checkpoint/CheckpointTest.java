package org.tuninglab.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tuninglab.checkpoint.SafetensorsFileTest.assertMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir Path tmp;

  /** Five tensors of 6, 4, 8, 2, 4 floats: 24, 16, 32, 8, 16 bytes in F32. */
  private static LinkedHashMap<String, FloatTensor> model() {
    LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
    t.put("embed.weight", tensor(new long[] {3, 2}, 0));
    t.put("layers.0.q.weight", tensor(new long[] {2, 2}, 10));
    t.put("layers.0.mlp.weight", tensor(new long[] {2, 4}, 20));
    t.put("norm.weight", tensor(new long[] {2}, 30));
    t.put("lm_head.weight", tensor(new long[] {4}, 40));
    return t;
  }

  private static FloatTensor tensor(long[] shape, int start) {
    float[] v = new float[(int) TensorInfo.elementCount(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = start + i * 0.5f;
    }
    return new FloatTensor(shape, v);
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void shardedWriteProducesATransformersIndexAndReadsBack() throws IOException {
    Path dir = tmp.resolve("model");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 40);

    assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
        "model-00003-of-00003.safetensors", "model.safetensors.index.json"), files(dir));
    JsonNode index = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
    assertEquals(96, index.get("metadata").get("total_size").asLong());
    Map<String, String> weightMap = new LinkedHashMap<>();
    index.get("weight_map").properties().forEach(e -> weightMap.put(e.getKey(), e.getValue().asText()));
    // sorted by name, as transformers writes it; greedy: 24+16 | 32+8 | 16
    assertEquals(List.of("embed.weight", "layers.0.mlp.weight", "layers.0.q.weight",
        "lm_head.weight", "norm.weight"), List.copyOf(weightMap.keySet()));
    assertEquals(Map.of(
        "embed.weight", "model-00001-of-00003.safetensors",
        "layers.0.q.weight", "model-00001-of-00003.safetensors",
        "layers.0.mlp.weight", "model-00002-of-00003.safetensors",
        "norm.weight", "model-00002-of-00003.safetensors",
        "lm_head.weight", "model-00003-of-00003.safetensors"), weightMap);

    try (Checkpoint ckpt = Checkpoint.open(dir)) {
      assertEquals(model().keySet(), ckpt.names());
      assertEquals(3, ckpt.files().size());
      for (Map.Entry<String, FloatTensor> e : model().entrySet()) {
        assertArrayEquals(e.getValue().shape(), ckpt.shape(e.getKey()));
        assertArrayEquals(e.getValue().data(), ckpt.readFloats(e.getKey()), e.getKey());
      }
      assertEquals(TensorDType.F32, ckpt.info("norm.weight").orElseThrow().dtype());
      assertEquals(Optional.empty(), ckpt.info("missing"));
    }
  }

  @Test
  void aTensorLargerThanTheLimitGetsItsOwnShard() throws IOException {
    Path dir = tmp.resolve("big");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.BF16, 10);
    assertEquals(6, files(dir).size()); // 5 shards + index
    try (Checkpoint ckpt = Checkpoint.open(dir)) {
      assertArrayEquals(model().get("layers.0.mlp.weight").data(), ckpt.readFloats("layers.0.mlp.weight"));
    }
  }

  @Test
  void resavingRemovesStaleFilesOfTheEarlierSave() throws IOException {
    Path dir = tmp.resolve("resave");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{}");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 40);
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 1 << 20);
    assertEquals(List.of("config.json", "model.safetensors"), files(dir));
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 60);
    assertEquals(List.of("config.json", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors", "model.safetensors.index.json"), files(dir));
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 40);
    assertEquals(List.of("config.json", "model-00001-of-00003.safetensors",
        "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors",
        "model.safetensors.index.json"), files(dir));
    try (Checkpoint ckpt = Checkpoint.open(dir)) {
      assertArrayEquals(model().get("lm_head.weight").data(), ckpt.readFloats("lm_head.weight"));
    }
  }

  @Test
  void aFailedWriteLeavesThePreviousFileAndNoTemporaries() throws IOException {
    Path dir = tmp.resolve("atomic");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 1 << 20);
    byte[] before = Files.readAllBytes(dir.resolve("model.safetensors"));
    LinkedHashMap<String, FloatTensor> bad = model();
    bad.put("__metadata__", tensor(new long[] {1}, 0));
    assertThrows(IllegalArgumentException.class,
        () -> CheckpointWriter.writeDirectory(dir, bad, TensorDType.F32, 1 << 20));
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.safetensors")));
    assertEquals(List.of("model.safetensors"), files(dir));
  }

  @Test
  void aShardedSaveFailingHalfwayChangesNothing() throws IOException {
    Path dir = tmp.resolve("halfway");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 40);
    Map<String, byte[]> before = new LinkedHashMap<>();
    for (String name : files(dir)) {
      before.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    LinkedHashMap<String, FloatTensor> bad = model();
    bad.put("", tensor(new long[] {1}, 0)); // lands in the second shard: fails after the first is staged
    assertThrows(IllegalArgumentException.class,
        () -> CheckpointWriter.writeDirectory(dir, bad, TensorDType.BF16, 40));
    assertEquals(List.copyOf(before.keySet()), files(dir), "no temporaries left");
    for (Map.Entry<String, byte[]> e : before.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
    }
  }

  @Test
  void writerRejectsBadArguments() {
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> CheckpointWriter.writeFile(tmp.resolve("x.safetensors"), model(), TensorDType.I32, Map.of())),
        "F32, F16 or BF16", "I32");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> CheckpointWriter.writeDirectory(tmp, model(), TensorDType.F32, 0)), "maxShardBytes");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new FloatTensor(new long[] {2, 3}, new float[5])), "[2, 3]", "6 elements", "5");
  }

  @Test
  void opensASingleFileOrAFilePath() throws IOException {
    Path dir = tmp.resolve("single");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F16, 1 << 20);
    try (Checkpoint ckpt = Checkpoint.open(dir);
        Checkpoint file = Checkpoint.open(dir.resolve("model.safetensors"))) {
      assertEquals(List.copyOf(model().keySet()), List.copyOf(ckpt.names()));
      assertArrayEquals(ckpt.readFloats("embed.weight"), file.readFloats("embed.weight"));
    }
  }

  @Test
  void noWeightsFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    Files.write(dir.resolve("pytorch_model.bin"), new byte[1]);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.open(dir));
    assertMessage(e, dir.toString(), "no weights", "model.safetensors", "pytorch_model.bin");
    assertMessage(assertThrows(IOException.class, () -> Checkpoint.open(tmp.resolve("nowhere"))),
        "nowhere", "no such");
  }

  @Test
  void indexNamesAMissingShard() throws IOException {
    Path dir = tmp.resolve("missing");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 40);
    Files.delete(dir.resolve("model-00002-of-00003.safetensors"));
    IOException e = assertThrows(IOException.class, () -> Checkpoint.open(dir));
    assertMessage(e, "model.safetensors.index.json", "model-00002-of-00003.safetensors", "does not exist");
  }

  @Test
  void indexMapsATensorTheShardLacks() throws IOException {
    Path dir = tmp.resolve("lacks");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 40);
    Path index = dir.resolve("model.safetensors.index.json");
    Files.writeString(index, Files.readString(index).replace(
        "\"norm.weight\" : \"model-00002-of-00003", "\"norm.weight\" : \"model-00003-of-00003"));
    IOException e = assertThrows(IOException.class, () -> Checkpoint.open(dir));
    assertMessage(e, index.toString(), "\"norm.weight\"", "model-00003-of-00003.safetensors", "no such tensor");
  }

  @Test
  void aTensorInTwoShards() throws IOException {
    Path dir = tmp.resolve("twice");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 40);
    LinkedHashMap<String, FloatTensor> third = new LinkedHashMap<>();
    third.put("lm_head.weight", model().get("lm_head.weight"));
    third.put("norm.weight", model().get("norm.weight"));
    CheckpointWriter.writeFile(dir.resolve("model-00003-of-00003.safetensors"), third, TensorDType.F32, Map.of());
    IOException e = assertThrows(IOException.class, () -> Checkpoint.open(dir));
    assertMessage(e, dir.toString(), "\"norm.weight\" is in two shards",
        "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors");
  }

  @Test
  void badIndex() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("badindex"));
    Path index = dir.resolve("model.safetensors.index.json");
    Files.writeString(index, "{\"weight_map\": ");
    assertMessage(assertThrows(IOException.class, () -> Checkpoint.open(dir)), index.toString(), "not valid JSON");
    Files.writeString(index, "{\"metadata\": {}}");
    assertMessage(assertThrows(IOException.class, () -> Checkpoint.open(dir)), index.toString(), "weight_map");
    Files.writeString(index, "{\"weight_map\": {\"w\": \"../other/model.safetensors\"}}");
    assertMessage(assertThrows(IOException.class, () -> Checkpoint.open(dir)), index.toString(), "\"w\"",
        "shard file name");
  }

  @Test
  void missingTensorNamesTensorAndDirectory() throws IOException {
    Path dir = tmp.resolve("m");
    CheckpointWriter.writeDirectory(dir, model(), TensorDType.F32, 1 << 20);
    try (Checkpoint ckpt = Checkpoint.open(dir)) {
      assertMessage(assertThrows(IllegalArgumentException.class, () -> ckpt.readFloats("lm_head.bias")),
          "\"lm_head.bias\"", dir.toString());
      assertMessage(assertThrows(IllegalArgumentException.class, () -> ckpt.shape("lm_head.bias")),
          "\"lm_head.bias\"", dir.toString());
    }
    assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")));
    assertTrue(Files.exists(dir.resolve("model.safetensors")));
  }
}
