package org.tuninglab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.track.bench.TrackBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench track}: run-store throughput and sweep-controller overhead. */
@Command(name = "track", mixinStandardHelpOptions = true,
    description = "Run-store throughput (1 and N writers) and controller overhead per trial.")
public final class TrackBenchCommand implements Callable<Integer> {

  @Option(names = "--dir", description = "Folder to measure in, e.g. shared scratch (default: a temp folder, removed after).")
  Path dir;

  @Option(names = "--points", defaultValue = "200000", description = "Points per writer (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(names = "--writers", defaultValue = "4", description = "Writer threads and processes (default: ${DEFAULT-VALUE}).")
  int writers;

  @Option(names = "--trials", defaultValue = "100", description = "Trials per controller measurement (default: ${DEFAULT-VALUE}).")
  int trials;

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tuninglab-bench-track");
    OutputLocation.check("--dir", work);
    try {
      System.out.printf("bench track in %s: %d points/writer, %d writers, %d trials, %d cpus%n",
          work, points, writers, trials, Runtime.getRuntime().availableProcessors());
      System.out.print(TrackBenchmark.format(TrackBenchmark.run(work.resolve("store"), points, writers, trials)));
    } finally {
      if (dir == null) {
        deleteTree(work);
      }
    }
    return 0;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
