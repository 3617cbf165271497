package org.tuninglab.track.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training job's script on a loopback Slurm cluster: the job sees the environment the script
 * promises (memory defaults unset, HF cache, offline hub, libtorch choice, work folder), and a
 * requeued job runs the same command again with SLURM_RESTART_COUNT=1, appending to one log.
 */
class SlurmTrainTest {

  @TempDir Path tmp;

  @Test
  void theJobSeesItsEnvironmentAndARequeueRerunsTheSameCommand() throws Exception {
    try (LoopbackSlurm slurm = LoopbackSlurm.startOrSkip()) {
      Path work = Files.createDirectories(tmp.resolve("checkout"));
      Path logs = tmp.resolve("out/slurm");
      Files.createDirectories(logs);
      // Stands in for `tuninglab train`: records what it sees, then runs long enough to be requeued
      // the first time and finishes quickly the second.
      Path trainer = work.resolve("fake-train.sh");
      Files.writeString(trainer, """
          #!/bin/bash
          echo "start restart=${SLURM_RESTART_COUNT:-0} pwd=$(pwd) hf=$HF_HOME offline=$HF_HUB_OFFLINE \
          torch=$TUNINGLAB_TORCH mem_per_cpu=${SLURM_MEM_PER_CPU:-unset} omp=$OMP_NUM_THREADS args=$*" >> runs.txt
          if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then sleep 60; fi
          echo done >> runs.txt
          """);
      trainer.toFile().setExecutable(true);
      LaunchConfig c = LaunchConfig.builder()
          .setWorkerCommand(SbatchScript.quote(trainer.toString()) + " train 'configs/x.yaml'")
          .optCpusPerTask(1)
          .optMem("200M")
          .optTime("00:05:00")
          .optSetup(List.of("export HF_HOME=\"" + tmp + "/hf_cache\"", "export TUNINGLAB_TORCH='cuda'"))
          .optJobName("tl-train-test")
          .optSbatchCommand(slurm.sbatch())
          .build();
      String text = TrainScript.render(c, work, logs, "train configs/x.yaml (lora on tiny)");
      assertTrue(text.contains("#SBATCH --requeue\n") && text.contains("#SBATCH --open-mode=append\n")
          && text.contains("unset SLURM_MEM_PER_CPU SLURM_MEM_PER_GPU\n") && text.contains("export HF_HUB_OFFLINE=1\n"), text);
      Path script = tmp.resolve("train.sbatch");
      Files.writeString(script, text);

      String job = SlurmLauncher.submit(c.sbatchCommand(), script);
      Path runs = work.resolve("runs.txt");
      await(() -> Files.exists(runs) && Files.readString(runs).contains("start restart=0"), "first start", slurm);
      slurm.client("scontrol", "requeue", job);
      await(() -> Files.readString(runs).contains("done"), "requeued run to finish", slurm);

      List<String> lines = Files.readAllLines(runs);
      assertEquals(3, lines.size(), lines.toString());
      String expected = "pwd=" + work + " hf=" + tmp + "/hf_cache offline=1 torch=cuda mem_per_cpu=unset omp=1 args=train configs/x.yaml";
      assertEquals("start restart=0 " + expected, lines.get(0));
      assertEquals("start restart=1 " + expected, lines.get(1));
      String log = Files.readString(logs.resolve("slurm-" + job + ".out"));
      assertTrue(log.contains("train configs/x.yaml (lora on tiny): job " + job) && log.contains("restart 0")
          && log.contains("restart 1"), log);
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  // A guard against a hung cluster, not a timing assertion (a requeue reruns in ~13 s).
  private static void await(Check check, String what, LoopbackSlurm slurm) throws Exception {
    for (int i = 0; i < 1800; i++) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + what + "\nsqueue:\n" + slurm.client("squeue"));
  }
}
