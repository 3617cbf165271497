package org.tuninglab.kernel;

/**
 * Carries an {@link Error} thrown by user code (a {@code StackOverflowError}, an
 * {@code AssertionError}) through the kernel's exception-only error path.
 */
public final class UserError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UserError(Error cause) {
    super(cause.toString(), cause);
  }
}
