package org.tuninglab.kernel;

/** A cell called {@code System.exit}: refused, the kernel and the notebook's state live on. */
public final class ExitRefusedException extends SecurityException {

  private static final long serialVersionUID = 1L;

  ExitRefusedException(int status) {
    super("System.exit(" + status + ") was refused: it would end the kernel and every variable of this notebook. "
        + "To stop a cell, return or throw an exception; to start afresh, use Kernel > Restart.");
  }
}
