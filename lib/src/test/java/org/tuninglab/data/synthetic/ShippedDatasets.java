package org.tuninglab.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository's generated data sets, and the check that a regeneration matches them. */
public final class ShippedDatasets {
  /** The repository's {@code datasets/}: tests run in the {@code lib} module's folder. */
  public static final Path FOLDER = Path.of("").toAbsolutePath().getParent().resolve("datasets");

  private ShippedDatasets() {}

  /**
   * Asserts that every regenerated file exists in the repository with the same bytes.
   *
   * @param regenerated the folder the generator wrote into
   * @param written the files it wrote, under {@code regenerated}
   * @throws IOException if a file cannot be read
   */
  public static void assertSameBytes(Path regenerated, List<Path> written) throws IOException {
    for (Path file : written) {
      Path shipped = FOLDER.resolve(regenerated.relativize(file));
      assertTrue(Files.exists(shipped), shipped + " is missing: run ./tuninglab datasets");
      assertArrayEquals(
          Files.readAllBytes(shipped),
          Files.readAllBytes(file),
          shipped + " differs from its regeneration: run ./tuninglab datasets");
    }
  }
}
