package org.tuninglab.tokenize;

import java.io.IOException;
import java.nio.file.Path;

/** A tokenizer or chat-template file that exists but does not hold what it should. */
public final class TokenizerFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param file the offending file
   * @param problem what is wrong, naming the field and what was expected
   */
  public TokenizerFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /**
   * Creates the exception with its cause.
   *
   * @param file the offending file
   * @param problem what is wrong, naming the field and what was expected
   * @param cause the underlying error
   */
  public TokenizerFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /**
   * Returns the offending file.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }
}
