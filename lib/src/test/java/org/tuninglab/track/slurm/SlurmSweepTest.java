package org.tuninglab.track.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.StoreJson;
import org.tuninglab.track.sweep.ClaimRecord;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.TrialInfo;
import org.tuninglab.track.sweep.TrialState;
import org.tuninglab.track.sweep.WorkerMain;

/**
 * A sweep launched as a real sbatch array job on a loopback Slurm cluster: every array task's
 * worker takes a trial from the store and reports back; a requeued task (preemption) resumes its
 * trial with SLURM_RESTART_COUNT=1.
 */
class SlurmSweepTest {

  @TempDir Path tmp;

  @Test
  void arrayJobRunsEveryTrialAndARequeuedTaskResumesItsTrial() throws Exception {
    try (LoopbackSlurm slurm = LoopbackSlurm.startOrSkip()) {
      RunStore store = RunStore.open(tmp);
      Sweep grid = Sweep.create(store, """
          method: grid
          metric: {name: eval_loss}
          parameters:
            lr: {values: [1.0e-4, 3.0e-4]}
            batch_size: {values: [4, 8]}
            epochs: {value: 2}
          """, "grid.yaml", "slurm-grid");
      Sweep slow = Sweep.create(store, """
          method: grid
          metric: {name: eval_loss}
          parameters:
            lr: {values: [3.0e-4]}
            epochs: {value: 40}
            sleep_ms: {value: 200}
          """, "slow.yaml", "slurm-requeue");

      SlurmLauncher.Launch launch = SlurmLauncher.launch(grid, config(slurm, 30), true);
      SlurmLauncher.Launch requeued = SlurmLauncher.launch(slow, config(slurm, 60), true);
      assertEquals(4, launch.tasks());
      String script = Files.readString(Path.of(launch.script()));
      assertTrue(script.contains("#SBATCH --array=0-3\n") && script.contains("unset SLURM_MEM_PER_CPU SLURM_MEM_PER_GPU"), script);

      awaitRunning(slow);
      slurm.client("scontrol", "requeue", requeued.jobId() + "_0");

      awaitDone(grid, slurm);
      List<TrialInfo> trials = grid.trials();
      assertEquals(4, trials.size());
      assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.FINISHED && t.attempts() == 1), trials.toString());
      assertTrue(trials.stream().allMatch(t -> t.worker().startsWith("slurm-" + launch.jobId() + "_")), trials.toString());
      for (int task = 0; task < 4; task++) {
        Path log = grid.dir().resolve("logs").resolve("slurm-" + launch.jobId() + "_" + task + ".out");
        assertTrue(Files.readString(log).contains("worker done: 1 trial(s)"), log + ": " + Files.readString(log));
      }

      awaitDone(slow, slurm);
      TrialInfo t = slow.trials().get(0);
      assertEquals(TrialState.FINISHED, t.state(), t.toString());
      assertEquals(2, t.attempts(), "the requeued task claimed its trial again");
      ClaimRecord second = StoreJson.readIfExists(
          slow.dir().resolve("trials/000000/claim-1.json"), ClaimRecord.class).orElseThrow();
      assertEquals(1, second.restartCount());
      assertEquals(40, store.run(t.runId()).history("eval_loss").size());
    }
  }

  private static LaunchConfig config(LoopbackSlurm slurm, int leaseSeconds) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return LaunchConfig.builder()
        .setWorkerCommand(java + " -Xmx192m -XX:TieredStopAtLevel=1 -cp "
            + SbatchScript.quote(System.getProperty("java.class.path")) + " " + WorkerMain.class.getName())
        .optCpusPerTask(1)
        .optMem("300M")
        .optTime("00:05:00")
        .optLeaseSeconds(leaseSeconds)
        .optSbatchCommand(slurm.sbatch())
        .build();
  }

  private static void awaitRunning(Sweep sweep) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      var trials = sweep.trials();
      if (!trials.isEmpty() && trials.get(0).state() == TrialState.RUNNING
          && sweep.store().findRun(trials.get(0).runId()).map(r -> r.history("eval_loss").size() >= 2).orElse(false)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("sweep " + sweep.name() + " never started; logs in " + sweep.dir().resolve("logs"));
  }

  // A guard against a hung cluster, not a timing assertion: the test normally takes ~30 s.
  private static void awaitDone(Sweep sweep, LoopbackSlurm slurm) throws Exception {
    for (int i = 0; i < 1800; i++) {
      if (sweep.progress().done()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("sweep " + sweep.name() + " not done: " + sweep.trials() + "\nsqueue:\n" + slurm.client("squeue"));
  }
}
