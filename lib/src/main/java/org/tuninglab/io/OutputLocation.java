package org.tuninglab.io;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Checks, before any work starts, that a run can write where it is told to: the folder is a folder
 * (or can be made one), a file can be created in it, and its disk has room. A training run that
 * learns this only at its first checkpoint, or at its end, has lost everything it computed.
 */
public final class OutputLocation {

  /** The least free space a run's folder must have: checkpoints, logs and the final model. */
  public static final long MIN_FREE_BYTES = 64L << 20;

  private OutputLocation() {}

  /**
   * Checks a folder a run will write to (creating it, as the run would), with {@link
   * #MIN_FREE_BYTES} free; null passes (the run writes nothing there).
   *
   * @param field what the folder is, for the message (e.g. {@code trainer.output_dir})
   * @param dir the folder, or null
   * @throws IOException naming the field and the folder if it is a file, cannot be created or
   *     written, or its disk lacks room
   */
  public static void check(String field, Path dir) throws IOException {
    check(field, dir, MIN_FREE_BYTES);
  }

  /**
   * Checks a folder a run will write to, with at least {@code freeBytes} of room.
   *
   * @see #check(String, Path)
   */
  public static void check(String field, Path dir, long freeBytes) throws IOException {
    if (dir == null) {
      return;
    }
    String where = field + " " + dir;
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new NotDirectoryException(where + " is a file; expected a folder to write into");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException(where + " cannot be created: " + describe(e), e);
    }
    // Files.isWritable is not enough: it ignores read-only mounts and is always true for root.
    Path probe;
    try {
      probe = Files.createTempFile(dir, ".write-check-", ".tmp");
    } catch (IOException e) {
      throw new IOException(where + " is not writable: " + describe(e), e);
    }
    Files.deleteIfExists(probe);
    FileStore store = Files.getFileStore(dir);
    long usable = store.getUsableSpace();
    if (usable < freeBytes) {
      throw new IOException(
          where + " has " + (usable >> 20) + " MiB free on " + store + "; a run needs at least "
              + (freeBytes >> 20) + " MiB there");
    }
  }

  private static String describe(IOException e) {
    String name = e.getClass().getSimpleName();
    return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
  }
}
