package org.tuninglab.rag;

import java.io.IOException;
import java.nio.file.Path;

/** A corpus file that cannot be read as documents; names the file, the line and the field. */
public final class DocumentFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  /**
   * Creates the exception.
   *
   * @param file the file
   * @param line the 1-based line where the problem is, or 0 for the whole file
   * @param field the field or column at fault, or null for none
   * @param problem what is wrong and what was expected
   */
  public DocumentFormatException(Path file, long line, String field, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": "
        + (field != null ? "field \"" + field + "\": " : "") + problem);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** The 1-based line, or 0 when the problem is the whole file. */
  public long line() {
    return line;
  }
}
