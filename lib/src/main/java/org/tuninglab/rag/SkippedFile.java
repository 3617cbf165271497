package org.tuninglab.rag;

import java.nio.file.Path;

/**
 * A file the loader left out, and why, so nothing is dropped silently.
 *
 * @param file the file
 * @param reason the parse error or "unsupported extension"
 */
public record SkippedFile(Path file, String reason) {}
