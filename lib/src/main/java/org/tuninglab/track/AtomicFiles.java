package org.tuninglab.track;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The two write primitives the store is built on. Both write a temporary file in the target's
 * folder first, so a crash never leaves a half-written target: readers see the old content or the
 * new, never a mix. Both work over NFS, where {@code flock} may not.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code content} through a same-folder temp file and a rename. */
  public static void write(Path target, byte[] content) {
    Path tmp = tempBeside(target);
    try {
      writeSynced(tmp, content);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new TrackException("cannot write " + target + ": " + e, e);
    }
  }

  /**
   * Creates {@code target} with {@code content} only if it does not exist yet, returning false if
   * another process created it first. A hard link of a complete temp file is atomic and exclusive
   * on local filesystems and NFS alike (the classic NFS-safe lock recipe).
   */
  public static boolean createExclusive(Path target, byte[] content) {
    Path tmp = tempBeside(target);
    try {
      writeSynced(tmp, content);
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        return createNewFallback(target, content);
      }
    } catch (IOException e) {
      throw new TrackException("cannot create " + target + ": " + e, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  // Filesystems without hard links: O_EXCL is still exclusive, only the content is not atomic.
  private static boolean createNewFallback(Path target, byte[] content) throws IOException {
    try {
      Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static void writeSynced(Path file, byte[] content) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    }
  }

  private static Path tempBeside(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover temp file is harmless: readers skip dot-files
    }
  }
}
