package org.tuninglab.tokenize;

/** A chat template refused its input ({@code raise_exception}) or failed to render. */
public final class ChatTemplateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, including the template's own message
   * @param cause the underlying error, or null
   */
  public ChatTemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
