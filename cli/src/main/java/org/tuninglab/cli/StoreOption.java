package org.tuninglab.cli;

import java.nio.file.Path;
import org.tuninglab.track.RunStore;
import picocli.CommandLine.Option;

/** The {@code --store DIR} option shared by the sweep verbs. */
public final class StoreOption {

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Run store folder (a shared filesystem on a cluster). Default: $TUNINGLAB_STORE or ./tuninglab-runs")
  Path store;

  RunStore open() {
    if (store != null) {
      return RunStore.open(store);
    }
    String env = System.getenv("TUNINGLAB_STORE");
    return RunStore.open(Path.of(env != null && !env.isBlank() ? env : "tuninglab-runs"));
  }
}
