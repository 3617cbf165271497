package org.tuninglab.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the tokenizer test fixtures among this module's resources (the shared model folder beside
 * the repository is found by {@link org.tuninglab.testing.SharedFiles}).
 */
final class Fixtures {

  private Fixtures() {}

  /** A folder or file under {@code src/test/resources/tokenize/}. */
  static Path resource(String relative) {
    try {
      return Path.of(Fixtures.class.getResource("/tokenize/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource tokenize/" + relative, e);
    }
  }

  static String text(String relative) {
    try {
      return Files.readString(resource(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
