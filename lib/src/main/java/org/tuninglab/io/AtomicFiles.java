package org.tuninglab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the new, never a torn mix: the
 * bytes go to a temporary file beside the target, are flushed to disk, then renamed over it.
 */
public final class AtomicFiles {

  /** Produces a file's content into a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void write(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content));
  }

  /**
   * Creates {@code target} with {@code content} only if it does not exist yet, returning false if
   * another process created it first. A hard link of a complete temp file is atomic and exclusive
   * on local filesystems and NFS alike (the classic NFS-safe lock recipe), so readers never see
   * it half-written.
   */
  public static boolean createExclusive(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        var buffer = java.nio.ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        // No hard links here: O_EXCL is still exclusive, only the content is not atomic.
        try {
          Files.write(target, content, java.nio.file.StandardOpenOption.CREATE_NEW);
          return true;
        } catch (java.nio.file.FileAlreadyExistsException taken) {
          return false;
        }
      }
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** Deletes a file if it is there; a leftover temp file is harmless (readers skip dot-files). */
  public static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // nothing to do: the file stays, and nothing reads it
    }
  }

  public static void write(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
          OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
