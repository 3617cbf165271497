package org.tuninglab.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One {@code .safetensors} file, memory-mapped (in chunks, so files over 2 GiB work) with its header
 * validated on open. Reads widen to Java arrays; bf16 and fp16 are converted here, never in DJL.
 * Instances are safe for concurrent reads.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** Elements decoded per slice: bounds the copy made when a tensor straddles two chunks. */
  private static final int BLOCK_ELEMENTS = 1 << 16;

  private final Path file;
  private final SafetensorsHeader header;
  private volatile MappedData data;

  private SafetensorsFile(Path file, SafetensorsHeader header, MappedData data) {
    this.file = file;
    this.header = header;
    this.data = data;
  }

  /**
   * Opens and validates a file.
   *
   * @throws IOException naming the file and what is wrong with it when it is not valid safetensors
   */
  public static SafetensorsFile open(Path file) throws IOException {
    return open(file, MappedData.DEFAULT_CHUNK_SIZE);
  }

  static SafetensorsFile open(Path file, int chunkSize) throws IOException {
    // the mapping outlives the channel, so the file descriptor is released right away
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new IOException(
            file + ": truncated: " + size + " bytes, expected at least 8 for the header length");
      }
      long headerLength = readLittleEndian(channel, 0, 8).getLong();
      if (headerLength < 0 || headerLength > size - 8) {
        throw new IOException(
            file + ": header length " + Long.toUnsignedString(headerLength)
                + " goes beyond the end of the file (" + size + " bytes): truncated or not safetensors");
      }
      if (headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
        throw new IOException(
            file + ": header length " + headerLength + " exceeds the limit of "
                + SafetensorsHeader.MAX_HEADER_BYTES + " bytes");
      }
      byte[] json = new byte[(int) headerLength];
      readLittleEndian(channel, 8, (int) headerLength).get(json);
      long dataStart = 8 + headerLength;
      long dataLength = size - dataStart;
      SafetensorsHeader header = SafetensorsHeader.parse(file, json, dataLength);
      return new SafetensorsFile(file, header, MappedData.map(channel, dataStart, dataLength, chunkSize));
    }
  }

  private static ByteBuffer readLittleEndian(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new EOFException("unexpected end of file");
      }
    }
    return buf.flip();
  }

  /** The file this reads. */
  public Path file() {
    return file;
  }

  /** Every tensor, in header order. */
  public Map<String, TensorInfo> tensors() {
    return header.tensors();
  }

  /** The {@code __metadata__} entries, empty when the file has none. */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /**
   * A floating-point tensor (F64, F32, F16 or BF16) widened to float32, row-major.
   *
   * @throws IllegalArgumentException for an unknown name, a non-float dtype, or over 2^31 elements
   */
  public float[] readFloats(String name) {
    TensorInfo info = requireFloat(name);
    float[] out = new float[arrayLength(info)];
    decode(info, (buf, offset, count) -> {
      switch (info.dtype()) {
        case F32 -> buf.asFloatBuffer().get(out, offset, count);
        case F64 -> {
          for (int i = 0; i < count; i++) {
            out[offset + i] = (float) buf.getDouble(i * 8);
          }
        }
        case F16 -> {
          for (int i = 0; i < count; i++) {
            out[offset + i] = HalfFloats.fp16ToFloat(buf.getShort(i * 2));
          }
        }
        case BF16 -> {
          for (int i = 0; i < count; i++) {
            out[offset + i] = HalfFloats.bf16ToFloat(buf.getShort(i * 2));
          }
        }
        default -> throw new AssertionError(info.dtype());
      }
    });
    return out;
  }

  /**
   * A floating-point tensor as fp16 bit patterns, row-major, for a model held in fp16: F16 is
   * copied as stored and BF16/F32/F64 are rounded per element (nearest even, as a cast to float16
   * does), so no float32 copy of the tensor is ever made.
   *
   * @throws IllegalArgumentException for an unknown name, a non-float dtype, or over 2^31 elements
   */
  public short[] readFp16Bits(String name) {
    TensorInfo info = requireFloat(name);
    short[] out = new short[arrayLength(info)];
    decode(info, (buf, offset, count) -> {
      switch (info.dtype()) {
        case F16 -> buf.asShortBuffer().get(out, offset, count);
        case BF16 -> {
          for (int i = 0; i < count; i++) {
            out[offset + i] = HalfFloats.floatToFp16(HalfFloats.bf16ToFloat(buf.getShort(i * 2)));
          }
        }
        case F32 -> {
          for (int i = 0; i < count; i++) {
            out[offset + i] = HalfFloats.floatToFp16(buf.getFloat(i * 4));
          }
        }
        case F64 -> {
          for (int i = 0; i < count; i++) {
            out[offset + i] = HalfFloats.floatToFp16((float) buf.getDouble(i * 8));
          }
        }
        default -> throw new AssertionError(info.dtype());
      }
    });
    return out;
  }

  /**
   * An integer or boolean tensor widened to long, row-major (U8 unsigned, BOOL as 0/1).
   *
   * @throws IllegalArgumentException for an unknown name, a float dtype, or over 2^31 elements
   */
  public long[] readLongs(String name) {
    TensorInfo info = require(name);
    if (info.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          file + ": tensor \"" + name + "\" has dtype " + info.dtype()
              + ", expected an integer dtype (I64, I32, I16, I8, U8, BOOL); use readFloats");
    }
    long[] out = new long[arrayLength(info)];
    decode(info, (buf, offset, count) -> {
      for (int i = 0; i < count; i++) {
        out[offset + i] = switch (info.dtype()) {
          case I64 -> buf.getLong(i * 8);
          case I32 -> buf.getInt(i * 4);
          case I16 -> buf.getShort(i * 2);
          case I8 -> buf.get(i);
          case U8 -> buf.get(i) & 0xFF;
          case BOOL -> buf.get(i) != 0 ? 1 : 0;
          default -> throw new AssertionError(info.dtype());
        };
      }
    });
    return out;
  }

  /** Drops the mapping; later reads fail. The OS unmaps once the buffers are collected. */
  @Override
  public void close() {
    data = null;
  }

  private TensorInfo require(String name) {
    TensorInfo info = header.tensors().get(name);
    if (info == null) {
      throw new IllegalArgumentException(file + ": no tensor named \"" + name + "\"");
    }
    return info;
  }

  private TensorInfo requireFloat(String name) {
    TensorInfo info = require(name);
    if (!info.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          file + ": tensor \"" + name + "\" has dtype " + info.dtype()
              + ", expected a floating-point dtype (F64, F32, F16, BF16); use readLongs");
    }
    return info;
  }

  private int arrayLength(TensorInfo info) {
    long n = info.elementCount();
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          file + ": tensor \"" + info.name() + "\" has " + n
              + " elements, more than a Java array holds");
    }
    return (int) n;
  }

  /** Hands the tensor's bytes to {@code sink} in little-endian blocks of whole elements. */
  private void decode(TensorInfo info, BlockSink sink) {
    MappedData mapped = data;
    if (mapped == null) {
      throw new IllegalStateException(file + ": file is closed");
    }
    int size = info.dtype().byteSize();
    int total = (int) info.elementCount();
    for (int done = 0; done < total; done += BLOCK_ELEMENTS) {
      int count = Math.min(BLOCK_ELEMENTS, total - done);
      sink.accept(mapped.slice(info.byteOffset() + (long) done * size, count * size), done, count);
    }
  }

  @FunctionalInterface
  private interface BlockSink {
    void accept(ByteBuffer littleEndian, int offset, int count);
  }
}
