package org.tuninglab.track.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tuninglab.track.StoreFiles;
import org.tuninglab.track.StoreJson;
import org.tuninglab.track.TrackException;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.TrialInfo;

/** Writes a sweep's sbatch script under {@code sweeps/NAME/launches/} and submits it. */
public final class SlurmLauncher {

  private SlurmLauncher() {}

  /**
   * A launch: the script written and, when submitted, the array job id.
   *
   * @param script the sbatch script's path
   * @param jobId the Slurm job id, or null when only written (dry run)
   * @param tasks the array size
   * @param time when it was launched, epoch milliseconds
   */
  public record Launch(String script, String jobId, int tasks, long time) {}

  /** Writes the script and, if {@code submit}, runs {@code sbatch --parsable} on it. */
  public static Launch launch(Sweep sweep, LaunchConfig config, boolean submit) {
    int tasks = config.arraySize() > 0 ? config.arraySize() : remaining(sweep);
    Path launches = sweep.dir().resolve("launches");
    Path logs = sweep.dir().resolve("logs");
    try {
      Files.createDirectories(launches);
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new TrackException("cannot create " + launches + ": " + e, e);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    Path script = launches.resolve(stamp + ".sbatch");
    String text = SbatchScript.render(config, sweep.store().dir(), sweep.name(), tasks, logs);
    StoreFiles.write(script, text.getBytes(StandardCharsets.UTF_8));
    String jobId = submit ? submit(config.sbatchCommand(), script) : null;
    Launch launch = new Launch(script.toString(), jobId, tasks, System.currentTimeMillis());
    StoreJson.write(launches.resolve(stamp + ".json"), launch);
    return launch;
  }

  /** Every launch of a sweep, oldest first. */
  public static List<Launch> launches(Sweep sweep) {
    Path dir = sweep.dir().resolve("launches");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      List<Launch> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        StoreJson.readIfExists(f, Launch.class).ifPresent(out::add);
      }
      return out;
    } catch (IOException e) {
      throw new TrackException("cannot list " + dir + ": " + e, e);
    }
  }

  // Trials not yet proposed plus proposed ones that will still run.
  private static int remaining(Sweep sweep) {
    List<TrialInfo> trials = sweep.trials();
    long ended = trials.stream().filter(t -> switch (t.state()) {
      case FINISHED, PRUNED -> true;
      case FAILED -> t.attempts() > sweep.spec().maxRetries();
      default -> false;
    }).count();
    return (int) (sweep.spec().runCap() - ended);
  }

  /** Runs {@code SBATCH --parsable SCRIPT} and returns the job id. */
  public static String submit(List<String> sbatch, Path script) {
    List<String> cmd = new ArrayList<>(sbatch);
    cmd.add("--parsable");
    cmd.add(script.toString());
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new TrackException("sbatch failed for " + script + ": " + out);
      }
      String last = out.lines().reduce((a, b) -> b).orElse("");
      return last.split(";")[0];
    } catch (IOException e) {
      throw new TrackException("cannot run " + String.join(" ", sbatch) + " (is Slurm installed here?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackException("interrupted while submitting " + script, e);
    }
  }
}
