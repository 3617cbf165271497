package org.tuninglab.cli;

import org.tuninglab.torch.TorchRuntime;
import org.tuninglab.torch.TorchSelectionException;
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
      GrowCommand.class,
      DatasetsCommand.class,
      ParamsCommand.class,
      PlanCommand.class,
      SweepCommand.class,
      ServeCommand.class,
      BenchCommand.class,
      DoctorCommand.class,
      SlurmCommand.class
    })
public final class TuningLab {

  public static void main(String[] args) {
    // Verbs that compute load the chosen libtorch first, so a CUDA request that cannot be met stops
    // here with the fix. The others (doctor, kernel, slurm, sweep create/launch/status, ...) don't,
    // so TUNINGLAB_TORCH=cuda in a login node's shell, where there is no GPU, breaks nothing.
    if (needsEngine(args)) {
      try {
        TorchRuntime.loadFromEnvironment().ifPresent(r -> System.err.println("tuninglab: " + r.summary()));
      } catch (TorchSelectionException e) {
        System.err.println("tuninglab: " + e.getMessage());
        System.exit(3);
      }
    }
    System.exit(commandLine().execute(args));
  }

  private static final java.util.Set<String> ENGINE_VERBS =
      java.util.Set.of("generate", "train", "pretrain", "grow", "serve", "bench", "sweep agent", "sweep run");

  /** Whether the verb in {@code args} runs models (its first one or two words). */
  static boolean needsEngine(String[] args) {
    java.util.List<String> words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).limit(2).toList();
    return !words.isEmpty()
        && (ENGINE_VERBS.contains(words.get(0)) || ENGINE_VERBS.contains(String.join(" ", words)));
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
