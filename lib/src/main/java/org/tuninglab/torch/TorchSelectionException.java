package org.tuninglab.torch;

/** The libtorch asked for cannot be found or loaded; the message names what was tried and the fix. */
public final class TorchSelectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TorchSelectionException(String message) {
    super(message);
  }

  public TorchSelectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
