package org.tuninglab.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes float tensors in safetensors layout, byte for byte as the reference implementation does:
 * compact JSON header with {@code __metadata__} first, tensors in insertion order, header padded
 * with spaces to a multiple of 8. Every file is written to a temporary file in the same directory
 * and moved into place atomically, so a crash leaves the previous save intact.
 */
public final class CheckpointWriter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern SHARD_NAME =
      Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
  private static final int WRITE_BUFFER = 1 << 20;

  private CheckpointWriter() {}

  /**
   * Writes one safetensors file atomically.
   *
   * @param tensors name to tensor, written in this order
   * @param storage F32, F16 or BF16; narrowing rounds to nearest even
   * @param metadata extra {@code __metadata__} entries; {@code "format": "pt"} is always present
   */
  public static void writeFile(Path file, LinkedHashMap<String, ? extends SavedTensor> tensors,
      TensorDType storage, Map<String, String> metadata) throws IOException {
    checkStorage(storage);
    Path tmp = stage(file, tensors, storage, metadata);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Saves a model directory the way transformers does: one {@code model.safetensors} when the
   * tensors fit in {@code maxShardBytes}, else {@code model-0000i-of-0000N.safetensors} shards and
   * {@code model.safetensors.index.json}. Every file is first written in full to a temporary
   * file, so a failure while writing changes nothing; then the files are renamed into place, the
   * index last, and the files of an earlier save that are not part of this one are removed. Only
   * a crash during those renames can leave an old index next to a new shard of the same name,
   * which {@link Checkpoint#open} then reports rather than misreads.
   */
  public static void writeDirectory(Path dir, LinkedHashMap<String, ? extends SavedTensor> tensors,
      TensorDType storage, long maxShardBytes) throws IOException {
    checkStorage(storage);
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive: " + maxShardBytes);
    }
    Files.createDirectories(dir);
    List<LinkedHashMap<String, SavedTensor>> shards = plan(tensors, storage, maxShardBytes);
    Map<Path, Path> staged = new LinkedHashMap<>(); // final file -> its temporary file
    try {
      if (shards.size() == 1) {
        Path file = dir.resolve(Checkpoint.SINGLE_FILE);
        staged.put(file, stage(file, tensors, storage, Map.of()));
      } else {
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
          String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
          Path file = dir.resolve(name);
          staged.put(file, stage(file, shards.get(i), storage, Map.of()));
          for (Map.Entry<String, ? extends SavedTensor> e : shards.get(i).entrySet()) {
            weightMap.put(e.getKey(), name);
            total += (long) e.getValue().length() * storage.byteSize();
          }
        }
        ObjectNode index = PRETTY.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        byte[] bytes = (PRETTY.writeValueAsString(index) + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve(Checkpoint.INDEX_FILE);
        staged.put(file, stageBytes(file, bytes));
      }
      for (Map.Entry<Path, Path> e : staged.entrySet()) {
        Files.move(e.getValue(), e.getKey(), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      for (Path tmp : staged.values()) {
        Files.deleteIfExists(tmp);
      }
    }
    Set<String> written = new HashSet<>();
    staged.keySet().forEach(p -> written.add(p.getFileName().toString()));
    removeStale(dir, written);
  }

  /** Writes the tensors to a new temporary file next to {@code file}, flushed to disk. */
  private static Path stage(Path file, LinkedHashMap<String, ? extends SavedTensor> tensors,
      TensorDType storage, Map<String, String> metadata) throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.putAll(metadata);
    byte[] header = header(tensors, storage, meta);
    Path tmp = tempSibling(file);
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocate(WRITE_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
      buf.putLong(header.length);
      drain(out, buf);
      writeAll(out, ByteBuffer.wrap(header));
      for (SavedTensor t : tensors.values()) {
        for (int i = 0, n = t.length(); i < n; i++) {
          if (buf.remaining() < 4) {
            drain(out, buf);
          }
          t.put(buf, i, storage);
        }
      }
      drain(out, buf);
      out.force(true);
      return tmp;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Greedy split in insertion order; a tensor larger than the limit gets a shard of its own. */
  private static List<LinkedHashMap<String, SavedTensor>> plan(
      LinkedHashMap<String, ? extends SavedTensor> tensors, TensorDType storage, long maxShardBytes) {
    List<LinkedHashMap<String, SavedTensor>> shards = new ArrayList<>();
    LinkedHashMap<String, SavedTensor> current = new LinkedHashMap<>();
    long currentBytes = 0;
    for (Map.Entry<String, ? extends SavedTensor> e : tensors.entrySet()) {
      long bytes = (long) e.getValue().length() * storage.byteSize();
      if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
        shards.add(current);
        current = new LinkedHashMap<>();
        currentBytes = 0;
      }
      current.put(e.getKey(), e.getValue());
      currentBytes += bytes;
    }
    shards.add(current);
    return shards;
  }

  private static void removeStale(Path dir, Set<String> written) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        boolean ours = name.equals(Checkpoint.SINGLE_FILE) || name.equals(Checkpoint.INDEX_FILE)
            || SHARD_NAME.matcher(name).matches();
        if (ours && !written.contains(name)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static byte[] header(Map<String, ? extends SavedTensor> tensors, TensorDType storage,
      Map<String, String> metadata) throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
    metadata.forEach(meta::put);
    long offset = 0;
    for (Map.Entry<String, ? extends SavedTensor> e : tensors.entrySet()) {
      String name = e.getKey();
      if (name == null || name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
        throw new IllegalArgumentException("invalid tensor name \"" + name + "\"");
      }
      SavedTensor t = e.getValue();
      long bytes = (long) t.length() * storage.byteSize();
      ObjectNode entry = root.putObject(name);
      entry.put("dtype", storage.name());
      ArrayNode shape = entry.putArray("shape");
      Arrays.stream(t.shape()).forEach(shape::add);
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(root);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static void checkStorage(TensorDType storage) {
    if (storage != TensorDType.F32 && storage != TensorDType.F16 && storage != TensorDType.BF16) {
      throw new IllegalArgumentException(
          "storage dtype must be F32, F16 or BF16, got " + storage);
    }
  }

  private static Path stageBytes(Path file, byte[] bytes) throws IOException {
    Path tmp = tempSibling(file);
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      writeAll(out, ByteBuffer.wrap(bytes));
      out.force(true);
      return tmp;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  private static Path tempSibling(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    return Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
  }

  private static void drain(FileChannel out, ByteBuffer buf) throws IOException {
    buf.flip();
    writeAll(out, buf);
    buf.clear();
  }

  private static void writeAll(FileChannel out, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }
}
