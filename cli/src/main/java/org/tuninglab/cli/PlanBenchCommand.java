package org.tuninglab.cli;

import java.util.concurrent.Callable;
import org.tuninglab.bench.PlanCheck;
import picocli.CommandLine.Command;

/** {@code tuninglab bench plan}: the memory planner against measured peaks of training steps. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "The memory planner's total against the measured peak memory of real training"
        + " steps on the CPU (tiny and ~10M-parameter models, every method), with the ratio.")
final class PlanBenchCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    PlanCheck.run(System.out);
    return 0;
  }
}
