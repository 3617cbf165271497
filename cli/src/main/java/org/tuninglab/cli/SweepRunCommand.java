package org.tuninglab.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.track.sweep.LocalPool;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.SweepProgress;
import org.tuninglab.track.sweep.Worker;
import org.tuninglab.track.sweep.WorkerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tuninglab sweep run NAME [--workers N]}: run (or resume) a sweep on this machine. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run or resume a sweep here: in this process (--workers 0) or with N local worker processes.")
public final class SweepRunCommand implements Callable<Integer> {

  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--workers", defaultValue = "0", description = "Local worker processes; 0 runs trials in this process (default).")
  int workers;

  @Option(names = "--objective", description = "toy or a TrialFunction class (default: the spec's objective, else toy).")
  String objective;

  @Option(names = "--lease-seconds", defaultValue = "120", description = "Lease of a claimed trial without heartbeat.")
  int leaseSeconds;

  @Override
  public Integer call() throws Exception {
    Sweep sweep = Sweep.open(store.open(), name);
    OutputLocation.check("--store", sweep.dir());
    String obj = objective != null ? objective : sweep.spec().objective() != null ? sweep.spec().objective() : "toy";
    WorkerMain.checkObjective(obj);
    if (workers == 0) {
      Worker.builder().setSweep(sweep).setFunction(WorkerMain.objective(obj))
          .optLease(Duration.ofSeconds(leaseSeconds))
          .optOnTrialEnd(t -> System.out.println(sweep.progress().line(sweep.spec().metric())))
          .build().run();
    } else {
      List<String> args = new ArrayList<>(List.of("--objective", obj, "--lease-seconds", String.valueOf(leaseSeconds)));
      int failed = LocalPool.start(sweep, workers, args).await();
      if (failed > 0) {
        System.err.println(failed + " worker(s) failed; logs in " + sweep.dir().resolve("logs"));
      }
    }
    SweepProgress progress = sweep.progress();
    System.out.println(progress.line(sweep.spec().metric()));
    return progress.allFailed() ? 1 : 0;
  }
}
