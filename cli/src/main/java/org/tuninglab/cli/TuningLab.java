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
    System.exit(new CommandLine(new TuningLab()).execute(args));
  }
}
