package org.tuninglab.track.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.track.RunStore;

/**
 * Worker processes share a sweep through the store; one is killed (SIGKILL) mid-trial, a new
 * worker resumes the sweep: every trial ends exactly once, none is lost or run twice to the end.
 */
class CrashResumeTest {

  @TempDir Path tmp;

  @Test
  void killedWorkersTrialIsReclaimedAfterItsLeaseAndNothingIsLostOrDuplicated() throws Exception {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, """
        method: grid
        metric: {name: eval_loss}
        parameters:
          lr: {values: [1.0e-5, 1.0e-4, 3.0e-4, 1.0e-3]}
          batch_size: {values: [4, 8]}
          epochs: {value: 3}
          sleep_ms: {value: 150}
        """, "crash.yaml", "crash");
    List<String> fast = List.of("--lease-seconds", "1");
    LocalPool victim = LocalPool.start(sweep, 1, List.of("--lease-seconds", "1", "--worker-id", "victim"));
    TrialInfo hit = awaitRunningTrialOf(sweep, "victim");
    victim.processes().get(0).destroyForcibly().waitFor();

    LocalPool rest = LocalPool.start(sweep, 2, fast);
    assertEquals(0, rest.await(), "workers exit cleanly; logs in " + sweep.dir().resolve("logs"));

    List<TrialInfo> trials = sweep.trials();
    assertEquals(8, trials.size());
    assertEquals(8, new HashSet<>(trials.stream().map(TrialInfo::params).toList()).size(), "no duplicate proposals");
    assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.FINISHED), trials.toString());
    TrialInfo reclaimed = trials.get(hit.number());
    assertEquals(2, reclaimed.attempts(), "the killed attempt and the one that finished it");
    assertTrue(trials.stream().filter(t -> t.number() != hit.number()).allMatch(t -> t.attempts() == 1),
        "no other trial ran twice: " + trials);
    assertEquals(3, store.run(reclaimed.runId()).history("eval_loss").size());
    assertTrue(sweep.progress().done());
  }

  private static TrialInfo awaitRunningTrialOf(Sweep sweep, String worker) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      for (TrialInfo t : sweep.trials()) {
        if (t.state() == TrialState.RUNNING && worker.equals(t.worker())
            && sweep.store().findRun(t.runId()).map(r -> !r.history("eval_loss").isEmpty()).orElse(false)) {
          return t;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("worker " + worker + " never started a trial; see " + sweep.dir().resolve("logs"));
  }
}
