package org.tuninglab.display;

import java.io.PrintStream;

/** Shows progress as text lines, for batch jobs and the command line. */
final class ConsoleProgressView implements ProgressView {

  private final PrintStream out;

  ConsoleProgressView(PrintStream out) {
    this.out = out;
  }

  @Override
  public void show(ProgressSnapshot snapshot) {
    out.println(ProgressHtml.text(snapshot));
  }
}
