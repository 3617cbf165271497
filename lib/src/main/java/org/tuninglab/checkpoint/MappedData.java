package org.tuninglab.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file region mapped into memory in chunks, since one {@link MappedByteBuffer} cannot exceed 2
 * GiB. Positions are relative to the region's start.
 */
final class MappedData {

  /** Chunk size for real files: large, a multiple of 8 so aligned elements rarely straddle. */
  static final int DEFAULT_CHUNK_SIZE = 1 << 30;

  private final MappedByteBuffer[] chunks;
  private final int chunkSize;
  private final long length;

  private MappedData(MappedByteBuffer[] chunks, int chunkSize, long length) {
    this.chunks = chunks;
    this.chunkSize = chunkSize;
    this.length = length;
  }

  static MappedData map(FileChannel channel, long start, long length, int chunkSize)
      throws IOException {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
    }
    int count = (int) ((length + chunkSize - 1) / chunkSize);
    MappedByteBuffer[] chunks = new MappedByteBuffer[count];
    for (int i = 0; i < count; i++) {
      long offset = (long) i * chunkSize;
      long size = Math.min(chunkSize, length - offset);
      chunks[i] = channel.map(FileChannel.MapMode.READ_ONLY, start + offset, size);
    }
    return new MappedData(chunks, chunkSize, length);
  }

  long length() {
    return length;
  }

  int chunkCount() {
    return chunks.length;
  }

  /**
   * The bytes {@code [pos, pos + len)} as a little-endian buffer: a view when they lie in one
   * chunk, else a copy assembled across the chunk boundary.
   */
  ByteBuffer slice(long pos, int len) {
    if (pos < 0 || len < 0 || pos + len > length) {
      throw new IndexOutOfBoundsException(
          "bytes [" + pos + ", " + (pos + len) + ") outside mapped length " + length);
    }
    if (len == 0) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    int first = (int) (pos / chunkSize);
    int offset = (int) (pos % chunkSize);
    if (offset + len <= chunks[first].capacity()) {
      return chunks[first].slice(offset, len).order(ByteOrder.LITTLE_ENDIAN);
    }
    byte[] copy = new byte[len];
    int done = 0;
    int chunk = first;
    while (done < len) {
      int n = Math.min(len - done, chunks[chunk].capacity() - offset);
      chunks[chunk].get(offset, copy, done, n);
      done += n;
      chunk++;
      offset = 0;
    }
    return ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
  }
}
