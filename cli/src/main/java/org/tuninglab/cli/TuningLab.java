package org.tuninglab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./tuninglab} launcher: one picocli command whose verbs live in their own classes. */
@Command(
    name = "tuninglab",
    mixinStandardHelpOptions = true,
    version = "Tuning Lab 0.1.0",
    description = "Learn and do LLM fine-tuning from Java.",
    subcommands = {
      CommandLine.HelpCommand.class,
      WorkshopCommand.class,
      KernelCommand.class,
      GenerateCommand.class,
      TrainCommand.class,
      PretrainCommand.class,
      DatasetsCommand.class,
      ParamsCommand.class,
      SweepCommand.class,
      ServeCommand.class,
      BenchCommand.class
    })
public final class TuningLab {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (tests execute verbs through it). */
  static CommandLine commandLine() {
    return new CommandLine(new TuningLab()).setExecutionExceptionHandler(TuningLab::reportInputError);
  }

  // Errors about the user's files and arguments already name the file, field or key at fault:
  // print the message, not a stack trace. Anything else is a bug and keeps its trace.
  private static int reportInputError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed)
      throws Exception {
    boolean inputError =
        e instanceof org.tuninglab.track.TrackException
            || e instanceof java.io.IOException
            || e instanceof IllegalArgumentException;
    if (!inputError || e.getMessage() == null) {
      throw e;
    }
    // NoSuchFileException's message is the bare path; say what is wrong with it.
    String message =
        e instanceof java.nio.file.NoSuchFileException missing
            ? missing.getFile() + ": not found"
                + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")")
            : e.getMessage();
    cmd.getErr().println("tuninglab " + cmd.getCommandName() + ": " + message);
    return 2;
  }
}
