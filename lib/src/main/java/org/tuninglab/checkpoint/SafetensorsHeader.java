package org.tuninglab.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file. Validation follows the reference
 * implementation: known dtypes, sizes matching shape × dtype, and tensors that tile the data
 * section exactly (no overlap, no gap, nothing left over).
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {

  static final String METADATA_KEY = "__metadata__";

  /** Largest header accepted, as in the reference implementation: guards against garbage lengths. */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  static SafetensorsHeader parse(Path file, byte[] header, long dataLength) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(new String(header, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": header must be a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        readMetadata(file, field.getValue(), metadata);
      } else {
        tensors.put(field.getKey(), readTensor(file, field.getKey(), field.getValue(), dataLength));
      }
    }
    checkTiling(file, tensors.values(), dataLength);
    return new SafetensorsHeader(
        Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
  }

  private static void readMetadata(Path file, JsonNode node, Map<String, String> out)
      throws IOException {
    if (!node.isObject()) {
      throw new IOException(file + ": " + METADATA_KEY + " must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new IOException(
            file + ": " + METADATA_KEY + " value of \"" + e.getKey() + "\" must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static TensorInfo readTensor(Path file, String name, JsonNode node, long dataLength)
      throws IOException {
    String where = file + ": tensor \"" + name + "\": ";
    if (!node.isObject()) {
      throw new IOException(where + "entry must be an object with dtype, shape, data_offsets");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new IOException(where + "missing string field \"dtype\"");
    }
    TensorDType dtype;
    try {
      dtype = TensorDType.parse(dtypeNode.textValue());
    } catch (IllegalArgumentException e) {
      throw new IOException(where + e.getMessage(), e);
    }
    long[] shape = longArray(where, node, "shape", -1);
    long[] offsets = longArray(where, node, "data_offsets", 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw new IOException(where + "data_offsets [" + begin + ", " + end + "] end before begin");
    }
    if (end > dataLength) {
      throw new IOException(
          where
              + "data_offsets ["
              + begin
              + ", "
              + end
              + "] beyond the data section of "
              + dataLength
              + " bytes (truncated file?)");
    }
    long expected;
    try {
      expected = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new IOException(where + "shape " + Arrays.toString(shape) + " is too large", e);
    }
    if (end - begin != expected) {
      throw new IOException(
          where
              + "data_offsets ["
              + begin
              + ", "
              + end
              + "] span "
              + (end - begin)
              + " bytes but "
              + dtype
              + Arrays.toString(shape)
              + " needs "
              + expected);
    }
    return new TensorInfo(name, dtype, shape, begin, end - begin);
  }

  private static long[] longArray(String where, JsonNode node, String field, int size)
      throws IOException {
    JsonNode array = node.get(field);
    if (array == null || !array.isArray() || (size >= 0 && array.size() != size)) {
      throw new IOException(
          where
              + "field \""
              + field
              + "\" must be an array of "
              + (size >= 0 ? size + " " : "")
              + "non-negative integers");
    }
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = array.get(i);
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 0) {
        throw new IOException(
            where + "field \"" + field + "\" has " + v + " where a non-negative integer belongs");
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static void checkTiling(Path file, Iterable<TensorInfo> tensors, long dataLength)
      throws IOException {
    List<TensorInfo> sorted = new ArrayList<>();
    tensors.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong(TensorInfo::byteOffset)
        .thenComparingLong(TensorInfo::byteLength));
    long expectedBegin = 0;
    TensorInfo previous = null;
    for (TensorInfo t : sorted) {
      if (t.byteOffset() < expectedBegin) {
        throw new IOException(
            file + ": tensor \"" + t.name() + "\" overlaps tensor \"" + previous.name()
                + "\" (data_offsets begin " + t.byteOffset() + " < " + expectedBegin + ")");
      }
      if (t.byteOffset() > expectedBegin) {
        throw new IOException(
            file + ": gap in the data section before tensor \"" + t.name() + "\" (bytes "
                + expectedBegin + " to " + t.byteOffset() + " belong to no tensor)");
      }
      expectedBegin = t.byteOffset() + t.byteLength();
      previous = t;
    }
    if (expectedBegin != dataLength) {
      throw new IOException(
          file + ": data section has " + dataLength + " bytes but the tensors cover "
              + expectedBegin);
    }
  }
}
