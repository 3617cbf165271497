package org.tuninglab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./tuninglab} launcher: one picocli command whose verbs live in their own classes. */
@Command(
    name = "tuninglab",
    mixinStandardHelpOptions = true,
    version = "Tuning Lab 0.1.0",
    description = "Learn and do LLM fine-tuning from Java.",
    subcommands = {CommandLine.HelpCommand.class, GenerateCommand.class, SweepCommand.class, BenchCommand.class})
public final class TuningLab {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (tests execute verbs through it). */
  static CommandLine commandLine() {
    return new CommandLine(new TuningLab()).setExecutionExceptionHandler(TuningLab::reportTrackError);
  }

  // Tracking errors already name the file or key at fault: print the message, not a stack trace.
  private static int reportTrackError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed)
      throws Exception {
    if (!(e instanceof org.tuninglab.track.TrackException)) {
      throw e;
    }
    cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
    return 2;
  }
}
