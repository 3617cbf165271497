package org.tuninglab.track.slurm;

import java.nio.file.Path;
import org.tuninglab.track.TrackException;

/** Renders the {@code sbatch} array script of a sweep launch. */
public final class SbatchScript {

  private SbatchScript() {}

  /**
   * The script for {@code tasks} array tasks of sweep {@code sweep} in the store at {@code store},
   * writing per-task logs to {@code logs/slurm-JOB_TASK.out}.
   */
  public static String render(LaunchConfig c, Path store, String sweep, int tasks, Path logs) {
    if (tasks < 1) {
      throw new TrackException("sweep " + sweep + ": nothing to launch (array size " + tasks + "); every trial has ended");
    }
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/bash\n");
    s.append("# Tuning Lab sweep '").append(sweep).append("': one trial per array task; each task takes\n");
    s.append("# its trial from the run store and reports back there (no network needed).\n");
    opt(s, "job-name", c.jobName() != null ? c.jobName() : "tl-" + sweep);
    opt(s, "array", "0-" + (tasks - 1) + (c.maxParallel() > 0 ? "%" + c.maxParallel() : ""));
    opt(s, "output", logs.resolve("slurm-%A_%a.out").toString());
    opt(s, "open-mode", "append");
    if (c.requeue()) {
      s.append("#SBATCH --requeue\n");
    }
    resourcesAndEnvironment(s, c);
    s.append("echo \"sweep ").append(sweep).append(": task ${SLURM_ARRAY_TASK_ID} of job ${SLURM_ARRAY_JOB_ID}")
        .append(" on $(hostname), restart ${SLURM_RESTART_COUNT:-0}, $(date -Is)\"\n");
    s.append("exec ").append(c.workerCommand())
        .append(" --store ").append(quote(store.toString()))
        .append(" --sweep ").append(quote(sweep))
        .append(" --max-trials 1 --lease-seconds ").append(c.leaseSeconds()).append('\n');
    return s.toString();
  }

  /**
   * The resource options, then the shell prologue every Tuning Lab job shares: strict mode, the
   * cluster's default memory variables unset, modules, setup lines, and the offline hub.
   */
  static void resourcesAndEnvironment(StringBuilder s, LaunchConfig c) {
    opt(s, "time", c.time());
    opt(s, "cpus-per-task", String.valueOf(c.cpusPerTask()));
    opt(s, "mem", c.mem());
    opt(s, "gpus", c.gpus());
    opt(s, "partition", c.partition());
    opt(s, "account", c.account());
    opt(s, "reservation", c.reservation());
    opt(s, "constraint", c.constraint());
    for (String extra : c.extraSbatch()) {
      s.append("#SBATCH ").append(extra).append('\n');
    }
    s.append("\nset -euo pipefail\n");
    s.append("# Some clusters set these by default and they clash with --mem.\n");
    s.append("unset SLURM_MEM_PER_CPU SLURM_MEM_PER_GPU\n");
    for (String m : c.modules()) {
      s.append("module load ").append(m).append('\n');
    }
    for (String line : c.setup()) {
      s.append(line).append('\n');
    }
    s.append("export HF_HUB_OFFLINE=1\n");
  }

  static void opt(StringBuilder s, String key, String value) {
    if (value != null && !value.isBlank()) {
      if (value.contains("\n")) {
        throw new TrackException("sbatch option --" + key + " must be one line, got " + value);
      }
      s.append("#SBATCH --").append(key).append('=').append(value).append('\n');
    }
  }

  /** Single-quotes a word for bash. */
  public static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
