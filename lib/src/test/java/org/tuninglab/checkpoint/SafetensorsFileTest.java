package org.tuninglab.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path tmp;

  @Test
  void goldenBytesOfATinyFile() throws IOException {
    Path file = tmp.resolve("tiny.safetensors");
    LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
    tensors.put("w", new FloatTensor(new long[] {2}, new float[] {1f, -2f}));
    tensors.put("b", new FloatTensor(new long[] {}, new float[] {0.5f}));
    CheckpointWriter.writeFile(file, tensors, TensorDType.BF16, Map.of());

    String json = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[4,6]}}";
    assertEquals(139, json.length());
    String padded = json + "     "; // to 144, a multiple of 8
    ByteBuffer expected = ByteBuffer.allocate(8 + 144 + 6).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(144).put(padded.getBytes(StandardCharsets.US_ASCII));
    expected.putShort((short) 0x3F80).putShort((short) 0xC000).putShort((short) 0x3F00);
    assertArrayEquals(expected.array(), Files.readAllBytes(file));
  }

  @Test
  void readsAHandBuiltFile() throws IOException {
    // keys deliberately out of offset order and unpadded; metadata last
    String header = "{\"z_bf16\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]},"
        + "\"a_f64\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
        + "\"m_f16\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[8,12]},"
        + "\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[12,20]},"
        + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[20,22]},"
        + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[22,24]},"
        + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"hand made\"}}";
    byte[] data = SafetensorsFiles.littleEndian(28, b -> b
        .putDouble(0.25)
        .putShort((short) 0x3C00).putShort((short) 0x0001)
        .putLong(-7L)
        .put((byte) 200).put((byte) 3)
        .put((byte) 1).put((byte) 0)
        .putShort((short) 0x4049).putShort((short) 0xBF80));
    Path file = SafetensorsFiles.write(tmp.resolve("hand.safetensors"), header, data);

    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertEquals(List.of("z_bf16", "a_f64", "m_f16", "ids", "u", "mask"),
          List.copyOf(st.tensors().keySet()));
      assertEquals(Map.of("format", "pt", "note", "hand made"), st.metadata());
      assertEquals(new TensorInfo("m_f16", TensorDType.F16, new long[] {2, 1}, 8, 4),
          st.tensors().get("m_f16"));
      assertEquals(2, st.tensors().get("m_f16").elementCount());
      assertArrayEquals(new float[] {3.140625f, -1f}, st.readFloats("z_bf16"));
      assertArrayEquals(new float[] {0.25f}, st.readFloats("a_f64"));
      assertArrayEquals(new float[] {1f, 0x1p-24f}, st.readFloats("m_f16"));
      assertArrayEquals(new long[] {-7}, st.readLongs("ids"));
      assertArrayEquals(new long[] {200, 3}, st.readLongs("u"));
      assertArrayEquals(new long[] {1, 0}, st.readLongs("mask"));
    }
  }

  @Test
  void roundTripsEveryStorageDtype() throws IOException {
    Random random = new Random(42);
    float[] values = new float[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
    }
    LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
    tensors.put("x", new FloatTensor(new long[] {10, 100}, values));
    for (TensorDType dtype : List.of(TensorDType.F32, TensorDType.F16, TensorDType.BF16)) {
      Path file = tmp.resolve(dtype + ".safetensors");
      CheckpointWriter.writeFile(file, tensors, dtype, Map.of("step", "7"));
      try (SafetensorsFile st = SafetensorsFile.open(file)) {
        assertEquals(Map.of("format", "pt", "step", "7"), st.metadata());
        TensorInfo info = st.tensors().get("x");
        assertEquals(dtype, info.dtype());
        assertArrayEquals(new long[] {10, 100}, info.shape());
        float[] back = st.readFloats("x");
        for (int i = 0; i < values.length; i++) {
          float expected = switch (dtype) {
            case F32 -> values[i];
            case F16 -> HalfFloats.fp16ToFloat(HalfFloats.floatToFp16(values[i]));
            default -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i]));
          };
          assertEquals(expected, back[i], dtype + " element " + i);
          double tolerance = switch (dtype) {
            case F32 -> 0;
            case F16 -> Math.max(Math.abs(values[i]) * 0x1p-11, 0x1p-25);
            default -> Math.abs(values[i]) * 0x1p-8;
          };
          assertEquals(values[i], back[i], tolerance, dtype + " element " + i);
        }
      }
    }
  }

  @Test
  void tinyChunksGiveTheSameData() throws IOException {
    Random random = new Random(1);
    LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (int t = 0; t < 5; t++) {
      float[] v = new float[17 + t * 31];
      for (int i = 0; i < v.length; i++) {
        v[i] = random.nextFloat();
      }
      tensors.put("t" + t, new FloatTensor(new long[] {v.length}, v));
    }
    for (TensorDType dtype : List.of(TensorDType.F32, TensorDType.BF16)) {
      Path file = tmp.resolve("chunks-" + dtype + ".safetensors");
      CheckpointWriter.writeFile(file, tensors, dtype, Map.of());
      try (SafetensorsFile whole = SafetensorsFile.open(file);
          SafetensorsFile chunked = SafetensorsFile.open(file, 7)) { // odd size: elements straddle
        for (String name : tensors.keySet()) {
          assertArrayEquals(whole.readFloats(name), chunked.readFloats(name), name);
        }
      }
    }
  }

  @Test
  void mapsFilesLargerThanTwoGibibytes() throws IOException {
    long pad = (1L << 31) + 8;
    String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + pad + "],\"data_offsets\":[0," + pad
        + "]},\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + pad + "," + (pad + 8)
        + "]}}";
    Path file = SafetensorsFiles.write(tmp.resolve("big.safetensors"), header, new byte[0]);
    long dataStart = Files.size(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(dataStart + pad + 8); // sparse: costs no disk
      raf.seek(dataStart + pad);
      raf.write(SafetensorsFiles.littleEndian(8, b -> b.putFloat(1.5f).putFloat(-3f)));
    }
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertArrayEquals(new float[] {1.5f, -3f}, st.readFloats("x"));
    }
  }

  @Test
  void truncatedFile() throws IOException {
    Path file = tmp.resolve("short.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(file));
    assertMessage(e, file.toString(), "truncated", "at least 8");
  }

  @Test
  void headerLengthBeyondTheFile() throws IOException {
    Path file = tmp.resolve("long.safetensors");
    Files.write(file, SafetensorsFiles.littleEndian(12, b -> b.putLong(1000).putInt(0)));
    IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(file));
    assertMessage(e, file.toString(), "header length 1000", "12 bytes");
  }

  @Test
  void dataTruncated() throws IOException {
    Path file = SafetensorsFiles.write(tmp.resolve("cut.safetensors"),
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[10]);
    IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(file));
    assertMessage(e, file.toString(), "\"x\"", "beyond the data section of 10 bytes");
  }

  @Test
  void badJson() throws IOException {
    Path file = SafetensorsFiles.write(tmp.resolve("json.safetensors"), "{\"x\":", new byte[0]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(file)),
        file.toString(), "not valid JSON");
    Path array = SafetensorsFiles.write(tmp.resolve("array.safetensors"), "[1]", new byte[0]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(array)),
        array.toString(), "JSON object");
  }

  @Test
  void duplicateTensorName() throws IOException {
    String entry = "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}";
    Path file = SafetensorsFiles.write(tmp.resolve("dup.safetensors"),
        "{\"x\":" + entry + ",\"x\":" + entry + "}", new byte[1]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(file)),
        file.toString(), "Duplicate field 'x'");
  }

  @Test
  void overlappingOffsets() throws IOException {
    Path file = SafetensorsFiles.write(tmp.resolve("overlap.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(file)),
        file.toString(), "\"b\" overlaps tensor \"a\"");
  }

  @Test
  void gapAndTrailingBytes() throws IOException {
    Path gap = SafetensorsFiles.write(tmp.resolve("gap.safetensors"),
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", new byte[4]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(gap)),
        gap.toString(), "gap", "\"a\"");
    Path trailing = SafetensorsFiles.write(tmp.resolve("trail.safetensors"),
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[5]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(trailing)),
        trailing.toString(), "5 bytes", "cover 2");
  }

  @Test
  void offsetsNotMatchingShapeAndDtype() throws IOException {
    Path file = SafetensorsFiles.write(tmp.resolve("size.safetensors"),
        "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,6]}}", new byte[6]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(file)),
        file.toString(), "\"w\"", "span 6 bytes", "BF16[2, 3] needs 12");
  }

  @Test
  void offsetsReversedOrMalformed() throws IOException {
    Path reversed = SafetensorsFiles.write(tmp.resolve("rev.safetensors"),
        "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}", new byte[4]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(reversed)),
        reversed.toString(), "\"w\"", "end before begin");
    Path negative = SafetensorsFiles.write(tmp.resolve("neg.safetensors"),
        "{\"w\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}}", new byte[0]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(negative)),
        negative.toString(), "\"w\"", "\"shape\"", "-1");
    Path missing = SafetensorsFiles.write(tmp.resolve("noshape.safetensors"),
        "{\"w\":{\"dtype\":\"U8\",\"data_offsets\":[0,0]}}", new byte[0]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(missing)),
        missing.toString(), "\"w\"", "\"shape\" must be an array");
  }

  @Test
  void unknownDtype() throws IOException {
    Path file = SafetensorsFiles.write(tmp.resolve("dtype.safetensors"),
        "{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(file)),
        file.toString(), "\"q\"", "unknown dtype \"F8_E4M3\"", "BF16");
  }

  @Test
  void metadataMustBeStrings() throws IOException {
    Path file = SafetensorsFiles.write(tmp.resolve("meta.safetensors"),
        "{\"__metadata__\":{\"step\":3}}", new byte[0]);
    assertMessage(assertThrows(IOException.class, () -> SafetensorsFile.open(file)),
        file.toString(), "__metadata__", "\"step\"", "string");
  }

  @Test
  void readErrorsNameTheTensorAndFile() throws IOException {
    Path file = SafetensorsFiles.write(tmp.resolve("r.safetensors"),
        "{\"ids\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
    SafetensorsFile st = SafetensorsFile.open(file);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> st.readFloats("nope")),
        file.toString(), "no tensor named \"nope\"");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> st.readFloats("ids")),
        file.toString(), "\"ids\"", "I32", "floating-point");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> st.readLongs("w")),
        file.toString(), "\"w\"", "F32", "integer");
    st.close();
    assertMessage(assertThrows(IllegalStateException.class, () -> st.readFloats("w")),
        file.toString(), "closed");
  }

  static void assertMessage(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part),
          "message should contain <" + part + "> but was: " + e.getMessage());
    }
  }
}
