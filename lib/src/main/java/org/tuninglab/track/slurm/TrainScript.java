package org.tuninglab.track.slurm;

import java.nio.file.Path;

/**
 * Renders the {@code sbatch} script of one training run ({@code tuninglab slurm train}). It is safe
 * to requeue: the job asks for {@code --requeue}, appends to one log, and reruns the same training
 * command, which resumes from the newest checkpoint in the config's output folder.
 */
public final class TrainScript {

  private TrainScript() {}

  /**
   * The script.
   *
   * @param c the cluster settings; its worker command is the training command, e.g.
   *     {@code /home/me/tuninglab/tuninglab train configs/x.yaml}
   * @param workDir the folder the command runs in (the checkout, so relative config paths hold)
   * @param logs the folder for {@code slurm-JOBID.out}
   * @param description what is trained, for the header comment and the start line
   */
  public static String render(LaunchConfig c, Path workDir, Path logs, String description) {
    if (description.contains("\n")) {
      throw new IllegalArgumentException("description must be one line, got " + description);
    }
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/bash\n");
    s.append("# Tuning Lab training: ").append(description).append('\n');
    s.append("# Requeue-safe: a requeued or resubmitted job reruns the same command, which resumes from the\n");
    s.append("# newest checkpoint in the config's output folder.\n");
    SbatchScript.opt(s, "job-name", c.jobName() != null ? c.jobName() : "tl-train");
    SbatchScript.opt(s, "output", logs.resolve("slurm-%j.out").toString());
    SbatchScript.opt(s, "open-mode", "append");
    if (c.requeue()) {
      s.append("#SBATCH --requeue\n");
    }
    SbatchScript.resourcesAndEnvironment(s, c);
    s.append("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n");
    s.append("echo \"").append(description.replace("\"", "'").replace("$", "\\$").replace("`", "'"))
        .append(": job ${SLURM_JOB_ID} on $(hostname), restart ${SLURM_RESTART_COUNT:-0}, $(date -Is)\"\n");
    s.append("cd ").append(SbatchScript.quote(workDir.toString())).append('\n');
    s.append("exec ").append(c.workerCommand()).append('\n');
    return s.toString();
  }
}
