package org.tuninglab.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.slurm.SlurmLauncher;
import org.tuninglab.track.sweep.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tuninglab sweep status [NAME...]}: one progress line per sweep, plus its Slurm launches. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the progress of sweeps (all when no name is given).")
public final class SweepStatusCommand implements Callable<Integer> {

  @Mixin StoreOption store;

  @Parameters(arity = "0..*", paramLabel = "NAME")
  List<String> names;

  @Override
  public Integer call() {
    RunStore s = store.open();
    List<String> which = names == null || names.isEmpty() ? Sweep.list(s) : names;
    if (which.isEmpty()) {
      System.out.println("no sweeps in " + s.sweepsDir());
    }
    for (String n : which) {
      Sweep sweep = Sweep.open(s, n);
      System.out.println(sweep.progress().line(sweep.spec().metric()));
      for (SlurmLauncher.Launch l : SlurmLauncher.launches(sweep)) {
        System.out.printf("  slurm job %s: %d task(s), %s%n", l.jobId() == null ? "(not submitted)" : l.jobId(), l.tasks(), l.script());
      }
    }
    return 0;
  }
}
