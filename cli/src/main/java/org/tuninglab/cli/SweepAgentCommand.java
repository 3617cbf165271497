package org.tuninglab.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.Worker;
import org.tuninglab.track.sweep.WorkerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tuninglab sweep agent --sweep NAME}: one worker, what each Slurm array task runs. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run one sweep worker: take trials from the store and report back (what Slurm tasks run).")
public final class SweepAgentCommand implements Callable<Integer> {

  @Mixin StoreOption store;

  @Option(names = "--sweep", required = true, paramLabel = "NAME")
  String name;

  @Option(names = "--objective", description = "toy or a TrialFunction class (default: the spec's objective, else toy).")
  String objective;

  @Option(names = "--max-trials", defaultValue = "2147483647", description = "Stop after this many trials.")
  int maxTrials;

  @Option(names = "--lease-seconds", defaultValue = "120")
  int leaseSeconds;

  @Option(names = "--worker-id", description = "Default: slurm-JOB_TASK in Slurm, else host-pid.")
  String workerId;

  @Override
  public Integer call() {
    Sweep sweep = Sweep.open(store.open(), name);
    String obj = objective != null ? objective : sweep.spec().objective() != null ? sweep.spec().objective() : "toy";
    Worker.Builder b = Worker.builder().setSweep(sweep).setFunction(WorkerMain.objective(obj))
        .optMaxTrials(maxTrials).optLease(Duration.ofSeconds(leaseSeconds))
        .optOnTrialEnd(t -> System.out.println("trial " + t.number() + " " + t.state() + " " + t.params() + " -> " + t.value()));
    if (workerId != null) {
      b.optWorkerId(workerId);
    }
    int ran = b.build().run();
    System.out.println("worker done: " + ran + " trial(s)");
    return 0;
  }
}
