package org.tuninglab.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file record that does not hold a valid example; names the file, line and field. */
public final class DatasetFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String field;

  /**
   * Creates the exception.
   *
   * @param file the data file
   * @param line the 1-based line where the record starts
   * @param field the offending field
   * @param problem what is wrong and what was expected
   */
  public DatasetFormatException(Path file, long line, String field, String problem) {
    super(file + ":" + line + ": field \"" + field + "\": " + problem);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  public Path file() {
    return file;
  }

  public long line() {
    return line;
  }

  public String field() {
    return field;
  }
}
