package org.tuninglab.track;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

/**
 * A short-lived mutual-exclusion lock made of an exclusively created file, for shared
 * filesystems where {@code flock} is unreliable. Its content is {@code token time owner}; a lock
 * older than the stale age (its holder died) is broken by renaming it away, which only one
 * breaker can do.
 */
public final class LockFile implements AutoCloseable {

  private final Path path;
  private final String token;

  private LockFile(Path path, String token) {
    this.path = path;
    this.token = token;
  }

  /**
   * Takes the lock at {@code path}, waiting up to {@code timeout}; a lock held longer than
   * {@code stale} is considered abandoned.
   */
  public static LockFile acquire(Path path, Duration stale, Duration timeout) {
    String token = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + timeout.toNanos();
    long sleepMs = 2;
    while (true) {
      String content = token + " " + System.currentTimeMillis() + " " + RunStore.writerId();
      if (StoreFiles.createExclusive(path, content.getBytes(StandardCharsets.UTF_8))) {
        return new LockFile(path, token);
      }
      String[] held = read(path);
      if (held != null && System.currentTimeMillis() - Long.parseLong(held[1]) > stale.toMillis()) {
        breakStale(path, held[0]);
        continue;
      }
      if (System.nanoTime() > deadline) {
        throw new TrackException(
            "could not take lock " + path + " within " + timeout.toSeconds() + " s"
                + (held == null ? "" : "; held by " + held[2] + " since " + held[1]));
      }
      sleep(sleepMs);
      sleepMs = Math.min(50, sleepMs * 2);
    }
  }

  @Override
  public void close() {
    String[] held = read(path);
    if (held != null && held[0].equals(token)) {
      StoreFiles.deleteQuietly(path);
    }
  }

  // Renaming is atomic, so of several breakers only one moves the lock; if what it moved was a
  // fresh lock taken meanwhile (not the stale one it saw), it puts it back.
  private static void breakStale(Path path, String staleToken) {
    Path moved = path.resolveSibling(path.getFileName() + ".stale-" + UUID.randomUUID());
    try {
      Files.move(path, moved, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new TrackException("cannot break stale lock " + path + ": " + e, e);
    }
    String[] got = read(moved);
    if (got != null && !got[0].equals(staleToken)) {
      try {
        Files.createLink(path, moved);
      } catch (IOException e) {
        // someone else took the lock meanwhile; the fresh holder we displaced will notice on close
      }
    }
    StoreFiles.deleteQuietly(moved);
  }

  private static String[] read(Path path) {
    try {
      String[] parts = Files.readString(path).split(" ", 3);
      return parts.length == 3 ? parts : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackException("interrupted while waiting for a lock", e);
    }
  }
}
