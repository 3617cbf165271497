package org.tuninglab.track.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunStore;

/**
 * A writer process of the benchmark: warms up, prints {@code ready}, waits for the parent's
 * {@code go} file (so all writers start together, after JVM start-up), logs N points to a new run
 * and prints its start and end wall-clock times (ms).
 */
public final class BenchWriterMain {

  /** Points each writer logs before the measured ones, to let the JIT compile the path. */
  public static final int WARMUP = 20_000;

  private BenchWriterMain() {}

  public static void main(String[] args) throws InterruptedException {
    RunStore store = RunStore.open(Path.of(args[0]));
    int points = Integer.parseInt(args[2]);
    Run run = store.newRun().optId(args[1]).start();
    TrackBenchmark.logPoints(run, WARMUP);
    System.out.println("ready");
    System.out.flush();
    while (!Files.exists(store.dir().resolve("go"))) {
      Thread.sleep(1);
    }
    long start = System.currentTimeMillis();
    TrackBenchmark.logPoints(run, points);
    long end = System.currentTimeMillis();
    run.finish(Map.of());
    System.out.println(start + " " + end);
  }
}
