package org.tuninglab.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.bench.PlanCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench plan}: the memory planner against measured peaks of training steps. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "The memory planner's total against the measured peak memory of real training"
        + " steps on the CPU (tiny and ~10M-parameter models, every method), with the ratio.")
final class PlanBenchCommand implements Callable<Integer> {
  @Option(names = "--only", split = ",", description = "Only these cases, as model/method/BxT"
      + " (e.g. 10M/full/1x32, the case where the optimizer's update makes the peak).")
  List<String> only = List.of();

  @Override
  public Integer call() throws Exception {
    PlanCheck.run(System.out, only);
    return 0;
  }
}
