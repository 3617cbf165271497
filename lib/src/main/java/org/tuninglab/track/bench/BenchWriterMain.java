package org.tuninglab.track.bench;

import java.nio.file.Path;
import java.util.Map;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunStore;

/**
 * A writer process of the benchmark: logs N points to a new run and prints its start and end
 * wall-clock times (ms), so the parent can measure the aggregate rate over the overlapping window
 * without counting JVM start-up.
 */
public final class BenchWriterMain {

  private BenchWriterMain() {}

  public static void main(String[] args) {
    RunStore store = RunStore.open(Path.of(args[0]));
    int points = Integer.parseInt(args[2]);
    Run run = store.newRun().optId(args[1]).start();
    TrackBenchmark.logPoints(run, 2_000);
    long start = System.currentTimeMillis();
    TrackBenchmark.logPoints(run, points);
    long end = System.currentTimeMillis();
    run.finish(Map.of());
    System.out.println(start + " " + end);
  }
}
