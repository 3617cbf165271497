package org.tuninglab.chat;

/**
 * An OpenAI-compatible endpoint failed: no connection, no answer in time, or an error status. The
 * message says what was called, what happened, the server's own error message, and after how many
 * attempts the client gave up.
 */
public final class EndpointException extends ChatModelException {
  private final int status;
  private final int attempts;
  private final String errorType;
  private final String errorCode;

  /**
   * @param status the HTTP status, 0 when no response came
   * @param attempts the attempts made
   * @param errorType the server's {@code error.type}, or null
   * @param errorCode the server's {@code error.code}, or null
   */
  public EndpointException(
      String message, int status, int attempts, String errorType, String errorCode,
      Throwable cause) {
    super(message, cause);
    this.status = status;
    this.attempts = attempts;
    this.errorType = errorType;
    this.errorCode = errorCode;
  }

  /** The HTTP status, 0 when no response came (connection failure, timeout). */
  public int status() {
    return status;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }

  /** The server's OpenAI-style {@code error.type}, or null. */
  public String errorType() {
    return errorType;
  }

  /** The server's OpenAI-style {@code error.code}, or null. */
  public String errorCode() {
    return errorCode;
  }
}
