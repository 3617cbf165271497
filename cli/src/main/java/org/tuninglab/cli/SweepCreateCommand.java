package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tuninglab.track.sweep.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tuninglab sweep create SPEC.yaml [--name NAME]}. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Validate a sweep spec (YAML) and create the sweep in the store.")
public final class SweepCreateCommand implements Callable<Integer> {

  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep spec, W&B-shaped YAML.")
  Path spec;

  @Option(names = "--name", description = "Sweep name (default: the spec's name).")
  String name;

  @Override
  public Integer call() {
    Sweep sweep = Sweep.create(store.open(), spec, name);
    System.out.printf("created sweep %s: %s, %d trial(s), metric %s (%s)%n  %s%n", sweep.name(),
        sweep.spec().method().name().toLowerCase(), sweep.spec().runCap(), sweep.spec().metric(),
        sweep.spec().goal().name().toLowerCase(), sweep.dir());
    return 0;
  }
}
