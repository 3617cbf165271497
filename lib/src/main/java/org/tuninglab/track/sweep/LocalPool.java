package org.tuninglab.track.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.track.TrackException;

/**
 * A pool of local worker processes ({@link WorkerMain}) on one sweep, each logging to
 * {@code sweeps/NAME/logs/local-I.log}. The processes coordinate only through the store, exactly
 * as Slurm tasks do.
 */
public final class LocalPool {

  private final List<Process> processes;

  private LocalPool(List<Process> processes) {
    this.processes = processes;
  }

  /**
   * Starts {@code workers} processes with this JVM's Java and classpath; {@code extraArgs} are
   * passed on to {@link WorkerMain} (e.g. {@code --objective}, {@code --lease-seconds}).
   */
  public static LocalPool start(Sweep sweep, int workers, List<String> extraArgs) {
    List<Process> ps = new ArrayList<>();
    Path logs = sweep.dir().resolve("logs");
    try {
      Files.createDirectories(logs);
      for (int i = 0; i < workers; i++) {
        List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            WorkerMain.class.getName(),
            "--store", sweep.store().dir().toString(),
            "--sweep", sweep.name()));
        cmd.addAll(extraArgs);
        Path log = logs.resolve("local-" + i + ".log");
        ps.add(new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
      }
    } catch (IOException e) {
      ps.forEach(Process::destroy);
      throw new TrackException("cannot start local workers for sweep " + sweep.name() + ": " + e, e);
    }
    return new LocalPool(ps);
  }

  public List<Process> processes() {
    return List.copyOf(processes);
  }

  /** Waits for every worker; returns the number that exited non-zero. */
  public int await() throws InterruptedException {
    int failed = 0;
    for (Process p : processes) {
      if (p.waitFor() != 0) {
        failed++;
      }
    }
    return failed;
  }
}
