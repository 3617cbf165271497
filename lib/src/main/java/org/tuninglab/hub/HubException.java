package org.tuninglab.hub;

import java.io.IOException;

/** The Hub answered with an error status; the message says what it means for the user. */
public final class HubException extends IOException {

  private final int statusCode;

  HubException(int statusCode, String message) {
    super(message);
    this.statusCode = statusCode;
  }

  /** The HTTP status the Hub returned. */
  public int statusCode() {
    return statusCode;
  }

  /** Server-side trouble (5xx) and rate limiting (429) may pass; other statuses will not. */
  boolean retryable() {
    return statusCode >= 500 || statusCode == 429;
  }
}
