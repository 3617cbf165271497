package org.tuninglab.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The weights of a model directory in Hugging Face layout: {@code model.safetensors}, or {@code
 * model.safetensors.index.json} and the shards its {@code weight_map} names. As in transformers,
 * a single {@code model.safetensors} wins when both are present. A path to one {@code
 * .safetensors} file (an adapter, say) opens that file alone.
 */
public final class Checkpoint implements AutoCloseable {

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Path dir;
  private final Map<String, SafetensorsFile> byTensor;
  private final List<SafetensorsFile> files;

  private Checkpoint(Path dir, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> files) {
    this.dir = dir;
    this.byTensor = byTensor;
    this.files = files;
  }

  /**
   * Opens the weights of {@code dir} (or one {@code .safetensors} file).
   *
   * @throws IOException naming the directory or file when there are no weights, the index is
   *     invalid, a shard is missing, a tensor is missing from its shard or lies in two shards
   */
  public static Checkpoint open(Path dir) throws IOException {
    if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".safetensors")) {
      SafetensorsFile file = SafetensorsFile.open(dir);
      return new Checkpoint(dir, everyTensor(file), List.of(file));
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": no such checkpoint directory");
    }
    Path single = dir.resolve(SINGLE_FILE);
    if (Files.isRegularFile(single)) {
      SafetensorsFile file = SafetensorsFile.open(single);
      return new Checkpoint(dir, everyTensor(file), List.of(file));
    }
    Path index = dir.resolve(INDEX_FILE);
    if (Files.isRegularFile(index)) {
      return openSharded(dir, index);
    }
    throw new IOException(dir + ": no weights found: expected " + SINGLE_FILE + " or " + INDEX_FILE
        + otherWeightsHint(dir));
  }

  private static Map<String, SafetensorsFile> everyTensor(SafetensorsFile file) {
    Map<String, SafetensorsFile> map = new LinkedHashMap<>();
    file.tensors().keySet().forEach(name -> map.put(name, file));
    return Collections.unmodifiableMap(map);
  }

  private static String otherWeightsHint(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<String> other = entries.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth")
              || n.endsWith(".safetensors") || n.endsWith(".h5"))
          .sorted()
          .collect(Collectors.toList());
      return other.isEmpty() ? "" : " (found " + other
          + "; PyTorch pickles are not read, convert them to safetensors)";
    }
  }

  /** Weight-map entries in index order, shards opened once each. */
  private static Checkpoint openSharded(Path dir, Path index) throws IOException {
    Map<String, String> weightMap = readWeightMap(index);
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
    try {
      for (String shardName : new LinkedHashSet<>(weightMap.values())) {
        Path shard = dir.resolve(shardName);
        if (!Files.isRegularFile(shard)) {
          throw new IOException(index + " names shard \"" + shardName + "\" but " + shard
              + " does not exist");
        }
        shards.put(shardName, SafetensorsFile.open(shard));
      }
      Map<String, String> seen = new LinkedHashMap<>();
      for (Map.Entry<String, SafetensorsFile> shard : shards.entrySet()) {
        for (String tensor : shard.getValue().tensors().keySet()) {
          String other = seen.putIfAbsent(tensor, shard.getKey());
          if (other != null) {
            throw new IOException(dir + ": tensor \"" + tensor + "\" is in two shards, " + other
                + " and " + shard.getKey());
          }
        }
      }
      for (Map.Entry<String, String> entry : weightMap.entrySet()) {
        SafetensorsFile shard = shards.get(entry.getValue());
        if (!shard.tensors().containsKey(entry.getKey())) {
          throw new IOException(index + " maps tensor \"" + entry.getKey() + "\" to "
              + entry.getValue() + " but that shard has no such tensor");
        }
        byTensor.put(entry.getKey(), shard);
      }
    } catch (IOException | RuntimeException e) {
      shards.values().forEach(SafetensorsFile::close);
      throw e;
    }
    return new Checkpoint(dir, Collections.unmodifiableMap(byTensor), List.copyOf(shards.values()));
  }

  private static Map<String, String> readWeightMap(Path index) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(index.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(index + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode weightMap = root == null ? null : root.get("weight_map");
    if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
      throw new IOException(index + ": expected a non-empty object \"weight_map\" of tensor -> shard");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
      String shard = e.getValue().isTextual() ? e.getValue().textValue() : "";
      // a shard name is a plain file name: anything else could reach outside the model directory
      if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
        throw new IOException(index + ": weight_map entry \"" + e.getKey() + "\" has "
            + e.getValue() + ", expected a shard file name in the same directory");
      }
      out.put(e.getKey(), shard);
    }
    return out;
  }

  /** The directory (or file) this was opened from. */
  public Path dir() {
    return dir;
  }

  /** Every tensor name, in file (or index) order. */
  public Set<String> names() {
    return byTensor.keySet();
  }

  public Optional<TensorInfo> info(String name) {
    SafetensorsFile file = byTensor.get(name);
    return file == null ? Optional.empty() : Optional.of(file.tensors().get(name));
  }

  /** The tensor's shape; throws like {@link #readFloats} when it is missing. */
  public long[] shape(String name) {
    return require(name).tensors().get(name).shape();
  }

  /** A floating-point tensor widened to float32, row-major. */
  public float[] readFloats(String name) {
    return require(name).readFloats(name);
  }

  /** A floating-point tensor as fp16 bits, row-major, with no float32 copy ({@link SafetensorsFile#readFp16Bits}). */
  public short[] readFp16Bits(String name) {
    return require(name).readFp16Bits(name);
  }

  /** An integer or boolean tensor widened to long, row-major. */
  public long[] readLongs(String name) {
    return require(name).readLongs(name);
  }

  /** The shard files read, one when the checkpoint is not sharded. */
  public List<Path> files() {
    List<Path> out = new ArrayList<>();
    files.forEach(f -> out.add(f.file()));
    return out;
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }

  private SafetensorsFile require(String name) {
    SafetensorsFile file = byTensor.get(name);
    if (file == null) {
      throw new IllegalArgumentException(
          "no tensor \"" + name + "\" in checkpoint " + dir + " (" + byTensor.size() + " tensors)");
    }
    return file;
  }
}
