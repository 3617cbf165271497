package org.tuninglab.kernel;

/**
 * A magic ({@code %maven}, ...) could not do what it was asked; the message says what and
 * why, and is all the cell shows: the kernel's stack frames would only bury it.
 */
public final class MagicException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MagicException(String message, Throwable cause) {
    super(message, cause);
  }
}
