package org.tuninglab.track.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.StoreFiles;
import org.tuninglab.track.TrackException;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.Worker;

/**
 * Measures the run store and the sweep controller. Throughputs are compared with appending the
 * same lines to a plain file (the floor any per-point-durable store pays); controller overhead
 * with creating, logging to and finishing a bare run per trial (the store cost without a
 * controller).
 */
public final class TrackBenchmark {

  private TrackBenchmark() {}

  /**
   * One figure.
   *
   * @param name what was measured
   * @param value the measurement
   * @param unit its unit
   * @param ratio value / reference value (for rates: fraction of the reference rate; for costs:
   *     how many times the reference cost), or NaN for the references themselves
   * @param reference the reference it is compared with
   */
  public record Figure(String name, double value, String unit, double ratio, String reference) {}

  /**
   * Runs everything in {@code dir} (a fresh folder on the filesystem to measure, e.g. the
   * cluster's shared scratch): {@code points} per writer, {@code writers} threads and processes,
   * {@code trials} per controller measurement.
   */
  public static List<Figure> run(Path dir, int points, int writers, int trials) throws Exception {
    RunStore store = RunStore.open(dir);
    List<Figure> out = new ArrayList<>();
    // Alternate the reference and the store three times and keep each one's best, so neither
    // is measured before the JIT has warmed up or during a burst of other load.
    double raw = 0;
    double single = 0;
    for (int round = 0; round < 3; round++) {
      raw = Math.max(raw, rawAppend(dir.resolve("raw-" + round + ".jsonl"), points));
      Run one = store.newRun().optId("bench-1-" + round).start();
      long t0 = System.nanoTime();
      logPoints(one, points);
      single = Math.max(single, points / seconds(t0));
      one.finish(Map.of());
    }
    out.add(new Figure("raw file append, 1 thread (reference)", raw, "points/s", Double.NaN, "-"));
    String ref = "raw append";
    out.add(new Figure("run store, 1 writer thread", single, "points/s", single / raw, ref));

    double threads = threads(store, points, writers);
    out.add(new Figure("run store, " + writers + " writer threads (total)", threads, "points/s", threads / raw, ref));
    double procs = processes(store, points, writers);
    out.add(new Figure("run store, " + writers + " writer processes (total)", procs, "points/s", procs / raw, ref));

    sweep(store, "random", Math.min(trials, 20), "bench-warmup");
    double bare = bareRuns(store, trials);
    out.add(new Figure("bare run create+log+finish (reference)", bare, "ms/trial", Double.NaN, "-"));
    for (String method : List.of("grid", "random", "bayes")) {
      double ms = sweep(store, method, trials, "bench-" + method);
      out.add(new Figure("sweep controller, " + method + ", " + trials + " trials", ms, "ms/trial", ms / bare, "bare run"));
    }
    return out;
  }

  static void logPoints(Run run, int points) {
    for (int i = 0; i < points; i++) {
      run.log(i, "train_loss", 1.0 / (i + 1));
    }
  }

  private static double rawAppend(Path file, int points) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < points; i++) {
        String line = "{\"step\":" + i + ",\"name\":\"train_loss\",\"value\":" + (1.0 / (i + 1))
            + ",\"time\":" + System.currentTimeMillis() + "}\n";
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      return points / seconds(t0);
    }
  }

  private static double threads(RunStore store, int points, int writers) throws InterruptedException {
    List<Thread> ts = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Run r = store.newRun().optId("bench-thread-" + w).start();
      runs.add(r);
      ts.add(new Thread(() -> logPoints(r, points)));
    }
    long t0 = System.nanoTime();
    ts.forEach(Thread::start);
    for (Thread t : ts) {
      t.join();
    }
    double rate = (double) points * writers / seconds(t0);
    runs.forEach(r -> r.finish(Map.of()));
    return rate;
  }

  private static double processes(RunStore store, int points, int writers) throws Exception {
    List<Process> ps = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      ps.add(new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
              "-cp", System.getProperty("java.class.path"), BenchWriterMain.class.getName(),
              store.dir().toString(), "bench-proc-" + w, String.valueOf(points))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    List<java.io.BufferedReader> outs = new ArrayList<>();
    for (Process p : ps) {
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      if (!"ready".equals(in.readLine())) {
        throw new TrackException("benchmark writer process did not start; see its error output above");
      }
      outs.add(in);
    }
    StoreFiles.write(store.dir().resolve("go"), new byte[0]);
    long start = Long.MAX_VALUE;
    long end = 0;
    for (int i = 0; i < ps.size(); i++) {
      Process p = ps.get(i);
      String out = outs.get(i).readLine();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new TrackException("benchmark writer process failed: " + out);
      }
      outs.get(i).close();
      String[] se = out.split(" ");
      start = Math.min(start, Long.parseLong(se[0]));
      end = Math.max(end, Long.parseLong(se[1]));
    }
    return (double) points * writers / Math.max(1e-3, (end - start) / 1000.0);
  }

  private static double bareRuns(RunStore store, int trials) {
    long t0 = System.nanoTime();
    for (int i = 0; i < trials; i++) {
      Run r = store.newRun().optId("bench-bare-" + i).optConfig(Map.of("lr", 1e-4)).start();
      r.log(1, "eval_loss", 0.5);
      r.finish(Map.of("eval_loss", 0.5));
    }
    return seconds(t0) * 1000 / trials;
  }

  private static double sweep(RunStore store, String method, int trials, String name) {
    String params = method.equals("grid")
        ? "  lr: {value: 1.0e-4}\n  i: {values: " + range(trials) + "}\n"
        : "  lr: {distribution: log_uniform_values, min: 1.0e-6, max: 1.0e-1}\n  r: {distribution: int_uniform, min: 2, max: 64}\n";
    String yaml = "method: " + method + "\nmetric: {name: eval_loss}\nparameters:\n" + params + "run_cap: " + trials + "\n";
    Sweep sweep = Sweep.create(store, yaml, "bench", name);
    long t0 = System.nanoTime();
    Worker.builder().setSweep(sweep)
        .setFunction(t -> t.log(1, "eval_loss", t.doubleParam("lr") * 1000))
        .build().run();
    return seconds(t0) * 1000 / trials;
  }

  private static String range(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(i);
    }
    return sb.append(']').toString();
  }

  private static double seconds(long t0) {
    return Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
  }

  /** Prints the figures as an aligned table. */
  public static String format(List<Figure> figures) {
    StringBuilder sb = new StringBuilder(String.format("%-48s %14s %-9s %8s  %s%n", "measurement", "value", "unit", "ratio", "vs"));
    for (Figure f : figures) {
      sb.append(String.format("%-48s %14.1f %-9s %8s  %s%n", f.name(), f.value(), f.unit(),
          Double.isNaN(f.ratio()) ? "-" : String.format("%.2f", f.ratio()), f.reference()));
    }
    return sb.toString();
  }

}
