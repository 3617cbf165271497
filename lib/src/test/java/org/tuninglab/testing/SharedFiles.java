package org.tuninglab.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the workshop's shared test files ({@code ../shared} beside the repository). They are not
 * part of the repository: a user's own clone lacks them, and the tests that need them skip.
 */
public final class SharedFiles {
  private SharedFiles() {}

  /** {@code shared/<relative>}, or a skipped test saying why. */
  public static Path require(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    assumeTrue(false, "skipped: ../shared/" + relative + " is not present (it sits beside the"
        + " repository in the workshop's CI and development machines, not in a clone)");
    throw new AssertionError("unreachable");
  }
}
