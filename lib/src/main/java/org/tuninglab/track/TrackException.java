package org.tuninglab.track;

/** A tracking or sweep failure whose message names the file or key at fault and what was expected. */
public final class TrackException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TrackException(String message) {
    super(message);
  }

  public TrackException(String message, Throwable cause) {
    super(message, cause);
  }
}
