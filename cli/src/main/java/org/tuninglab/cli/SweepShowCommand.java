package org.tuninglab.cli;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.TrialInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tuninglab sweep show NAME}: the spec and every trial. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print a sweep's spec and its trials.")
public final class SweepShowCommand implements Callable<Integer> {

  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    Sweep sweep = Sweep.open(store.open(), name);
    System.out.println("# " + sweep.dir().resolve("spec.yaml"));
    System.out.println(Files.readString(sweep.dir().resolve("spec.yaml")).strip());
    System.out.println();
    System.out.printf("%5s  %-9s %4s  %12s  %-28s %s%n", "trial", "state", "try", sweep.spec().metric(), "worker", "params");
    for (TrialInfo t : sweep.trials()) {
      System.out.printf("%5d  %-9s %4d  %12s  %-28s %s%s%n", t.number(), t.state().name().toLowerCase(), t.attempts(),
          t.value() == null ? "-" : String.format("%.6g", t.value()), t.worker() == null ? "-" : t.worker(),
          t.params(), t.error() == null ? "" : "  (" + t.error() + ")");
    }
    return 0;
  }
}
