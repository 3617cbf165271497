package org.tuninglab.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to write one blob, held by one thread of one process at a time, so parallel
 * jobs sharing a cache never append to the same partial download. File locks are per process,
 * hence the in-JVM lock in front of them. Lock files live under {@code .locks/}, as in {@code
 * huggingface_hub}.
 */
final class BlobLock implements AutoCloseable {

  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private final ReentrantLock threadLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private BlobLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
    this.threadLock = threadLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  static BlobLock acquire(Path lockFile) throws IOException {
    ReentrantLock threadLock =
        IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
    threadLock.lock();
    FileChannel channel = null;
    try {
      Files.createDirectories(lockFile.getParent());
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new BlobLock(threadLock, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threadLock.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      fileLock.release();
      channel.close();
    } finally {
      threadLock.unlock();
    }
  }
}
