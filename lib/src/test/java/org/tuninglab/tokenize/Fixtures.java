package org.tuninglab.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the test fixtures: this module's resources and the shared model folder beside the
 * repository.
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

    /**
     * The shared folder {@code ../shared/<relative>}: walks up from the working directory to the
     * first ancestor with a sibling-level {@code shared} folder holding it.
     */
    static Optional<Path> shared(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.exists(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
