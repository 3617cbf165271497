package org.tuninglab.kernel;

/** The cell was interrupted by the user (the notebook's stop button). */
public final class CellInterruptedException extends Exception {

  private static final long serialVersionUID = 1L;

  CellInterruptedException() {
    super("The cell was interrupted.");
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
