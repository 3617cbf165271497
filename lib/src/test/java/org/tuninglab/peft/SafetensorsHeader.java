package org.tuninglab.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes the safetensors layout by hand (8-byte little-endian header length, JSON header,
 * raw bytes), independently of the code under test: what Python's safetensors sees.
 */
final class SafetensorsHeader {
  private SafetensorsHeader() {}

  static JsonNode read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return new ObjectMapper().readTree(new String(bytes, 8, (int) length, StandardCharsets.UTF_8));
  }

  /**
   * Writes F32 tensors with PEFT's {@code {"format": "pt"}} metadata, as safetensors.torch does.
   */
  static void writeF32(Path file, Map<String, float[]> data, Map<String, long[]> shapes)
      throws IOException {
    var mapper = new ObjectMapper();
    var header = mapper.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (var e : data.entrySet()) {
      var t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long s : shapes.get(e.getKey())) {
        shape.add(s);
      }
      t.putArray("data_offsets").add(offset).add(offset + 4L * e.getValue().length);
      offset += 4L * e.getValue().length;
    }
    byte[] json = mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    data.values()
        .forEach(
            v -> {
              for (float f : v) {
                out.putFloat(f);
              }
            });
    Files.write(file, out.array());
  }
}
