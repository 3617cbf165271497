package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.lesson.ConfigBatchStudy;
import org.tuninglab.lesson.LrScaling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tuninglab bench batch CONFIG}: the batch-size study on a fine-tuning config's model and data. */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Micro-batch x accumulation on the same examples, each cell in a JVM of its own:"
        + " tokens/s, step time, planned and measured peak memory, updates, train and holdout loss"
        + " and gap, and the k x b equivalence check.")
final class BatchBenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "A fine-tuning config (e.g. configs/tuninglab-tiny-full.yaml).")
  Path config;

  @Option(names = "--micro-batches", split = ",", defaultValue = "2,4,8",
      description = "Micro-batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> microBatches;

  @Option(names = "--accumulations", split = ",", defaultValue = "1,4",
      description = "Accumulation steps (default: ${DEFAULT-VALUE}).")
  List<Integer> accumulations;

  @Option(names = "--examples", defaultValue = "256",
      description = "Training examples every cell sees (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--lr", description = "The learning rate at the smallest effective batch"
      + " (default: the config's).")
  Double lr;

  @Option(names = "--lr-scaling", defaultValue = "none",
      description = "none, linear or sqrt (default: ${DEFAULT-VALUE}).")
  String lrScaling;

  @Option(names = "--evaluations", defaultValue = "4",
      description = "Holdout evaluations per cell (default: ${DEFAULT-VALUE}).")
  int evaluations;

  @Override
  public Integer call() throws Exception {
    ConfigBatchStudy.run(config, microBatches, accumulations, examples, lr,
        LrScaling.parse(lrScaling), evaluations, System.out, (done, cell) -> { });
    return 0;
  }
}
