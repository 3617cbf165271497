package org.tuninglab.track;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The run store's two write primitives, over {@link org.tuninglab.io.AtomicFiles} (the one
 * atomic writer; this class only turns its {@code IOException}s into the store's): a crash never
 * leaves a half-written file, and both work over NFS, where {@code flock} may not. Failures
 * surface as {@link TrackException}s naming the file.
 */
public final class StoreFiles {

  private StoreFiles() {}

  /** Replaces {@code target} with {@code content} through a same-folder temp file and a rename. */
  public static void write(Path target, byte[] content) {
    try {
      org.tuninglab.io.AtomicFiles.write(target, content);
    } catch (IOException e) {
      throw new TrackException("cannot write " + target + ": " + e, e);
    }
  }

  /** Creates {@code target} only if no other process did first; false when one did. */
  public static boolean createExclusive(Path target, byte[] content) {
    try {
      return org.tuninglab.io.AtomicFiles.createExclusive(target, content);
    } catch (IOException e) {
      throw new TrackException("cannot create " + target + ": " + e, e);
    }
  }

  static void deleteQuietly(Path file) {
    org.tuninglab.io.AtomicFiles.deleteQuietly(file);
  }
}
