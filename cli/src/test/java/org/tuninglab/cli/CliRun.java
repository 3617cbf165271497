package org.tuninglab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a verb as {@code tuninglab} would, collecting its error stream; standard output is dropped. */
final class CliRun {
  private CliRun() {}

  static int run(StringWriter err, String... args) {
    CommandLine cl = TuningLab.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
