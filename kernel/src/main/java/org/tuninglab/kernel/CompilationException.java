package org.tuninglab.kernel;

import java.util.List;

/** A cell that does not compile; each line of the report names the cell's line and column. */
public final class CompilationException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<String> report;

  CompilationException(String firstDiagnostic, List<String> report) {
    super(firstDiagnostic);
    this.report = List.copyOf(report);
  }

  /** The diagnostics with the offending source line and a caret under the column. */
  public List<String> report() {
    return report;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    // The kernel's own frames say nothing about the user's mistake.
    return this;
  }
}
