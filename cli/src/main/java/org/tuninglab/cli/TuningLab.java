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
      BenchCommand.class})
public final class TuningLab {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The launcher's command line; bad input ({@link IllegalArgumentException}) prints its message, not a stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new TuningLab()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException) {
        cmd.getErr().println("tuninglab: " + e.getMessage());
        return 2;
      }
      throw e;
    });
  }
}
