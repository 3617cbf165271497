package org.tuninglab.track;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A content hash of a data set, so two runs can tell whether they trained on the same data.
 *
 * @param name the role of the data set in the run, e.g. {@code train}
 * @param path where it was read from
 * @param sha256 SHA-256 of the file, or of every file's relative path and hash in a folder
 * @param bytes total size in bytes
 * @param files number of files hashed
 */
public record DatasetFingerprint(String name, String path, String sha256, long bytes, int files) {

  /** Hashes the file or folder at {@code path}. */
  public static DatasetFingerprint of(String name, Path path) {
    if (!Files.exists(path)) {
      throw new TrackException("data set '" + name + "': " + path + " does not exist");
    }
    try {
      if (Files.isRegularFile(path)) {
        return new DatasetFingerprint(
            name, path.toString(), hashFile(path), Files.size(path), 1);
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(path)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      MessageDigest all = newDigest();
      long bytes = 0;
      for (Path f : files) {
        all.update(path.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        all.update((byte) 0);
        all.update(hashFile(f).getBytes(StandardCharsets.US_ASCII));
        bytes += Files.size(f);
      }
      return new DatasetFingerprint(
          name, path.toString(), HexFormat.of().formatHex(all.digest()), bytes, files.size());
    } catch (IOException e) {
      throw new TrackException("data set '" + name + "': cannot read " + path + ": " + e, e);
    }
  }

  private static String hashFile(Path file) throws IOException {
    MessageDigest md = newDigest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
