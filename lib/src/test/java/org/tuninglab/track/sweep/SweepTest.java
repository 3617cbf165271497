package org.tuninglab.track.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.track.RunStatus;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.TrackException;

class SweepTest {

  static final String GRID = """
      method: grid
      metric: {name: eval_loss, goal: minimize}
      parameters:
        lr: {values: [1.0e-5, 1.0e-4, 3.0e-4, 1.0e-3]}
        batch_size: {values: [4, 8]}
        r: {values: [4, 8, 16]}
        epochs: {value: 3}
      """;

  @TempDir Path tmp;

  @Test
  void inProcessGridRunsEveryTrialOnceAndFindsTheBowlMinimum() {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, GRID, "grid.yaml", "g");
    List<TrialInfo> seen = new ArrayList<>();
    int ran = Worker.builder().setSweep(sweep).setFunction(new ToyObjective()).optOnTrialEnd(seen::add).build().run();
    assertEquals(24, ran);
    assertEquals(24, seen.size());
    List<TrialInfo> trials = sweep.trials();
    assertEquals(24, new HashSet<>(trials.stream().map(TrialInfo::params).toList()).size());
    assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.FINISHED && t.attempts() == 1));
    SweepProgress p = sweep.progress();
    assertTrue(p.done());
    assertEquals(3.0e-4, p.best().params().get("lr"));
    assertEquals(8, p.best().params().get("batch_size"));
    assertTrue(p.line("eval_loss").startsWith("g: 24/24 finished; best #"), p.line("eval_loss"));
    assertEquals(3, store.run(sweep.runId(0)).history("eval_loss").size());
    assertEquals(24, sweep.runs().size());
    assertEquals(8, org.tuninglab.track.view.ParamScatter.chart(sweep.runs(), "r", "eval_loss")
        .getSeriesMap().get("eval_loss").getXData().length / 3);
    assertEquals(0, Worker.builder().setSweep(Sweep.open(store, "g")).setFunction(new ToyObjective()).build().run(),
        "a resumed, finished sweep has nothing left to run");
  }

  @Test
  void hyperbandPrunesPoorTrialsAtRungs() {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, """
        method: grid
        metric: {name: eval_loss}
        parameters:
          lr: {values: [3.0e-4, 1.0e-3, 1.0e-2, 1.0e-1, 1.0e-6, 1.0e-5]}
          epochs: {value: 9}
        early_terminate: {type: hyperband, min_iter: 1, eta: 3}
        """, "hb.yaml", "hb");
    Worker.builder().setSweep(sweep).setFunction(new ToyObjective()).build().run();
    List<TrialInfo> trials = sweep.trials();
    long pruned = trials.stream().filter(t -> t.state() == TrialState.PRUNED).count();
    assertTrue(pruned >= 2, trials.toString());
    assertEquals(TrialState.FINISHED, trials.get(0).state(), "the best trial runs to the end");
    TrialInfo stopped = trials.stream().filter(t -> t.state() == TrialState.PRUNED).findFirst().orElseThrow();
    assertTrue(stopped.error().startsWith("stopped by hyperband at report"), stopped.error());
    assertTrue(store.run(stopped.runId()).history("eval_loss").size() < 9);
  }

  @Test
  void bayesSweepHonoursRunCap() {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, """
        method: bayes
        metric: {name: eval_loss}
        parameters:
          lr: {distribution: log_uniform_values, min: 1.0e-6, max: 1.0e-1}
          epochs: {value: 2}
        run_cap: 9
        """, "b.yaml", "b");
    assertEquals(9, Worker.builder().setSweep(sweep).setFunction(new ToyObjective()).build().run());
    assertEquals(9, sweep.trials().size());
    assertTrue(sweep.progress().done());
  }

  @Test
  void metricNeverReportedFailsTheTrialNamingTheMetric() {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, GRID.replace("name: eval_loss", "name: eval_acc"), "m.yaml", "m");
    Worker.builder().setSweep(sweep).setFunction(new ToyObjective()).optMaxTrials(1).build().run();
    TrialInfo t = sweep.trials().get(0);
    assertEquals(TrialState.FAILED, t.state());
    assertEquals("metric 'eval_acc' (the sweep's metric.name) was never reported by trial 0; it reported [eval_loss, train_loss]", t.error());
    assertEquals(RunStatus.FAILED, store.run(t.runId()).status().status());
  }

  @Test
  void failingTrialIsRetriedUpToMaxRetries() {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, """
        method: grid
        metric: {name: eval_loss}
        parameters: {lr: {values: [1.0e-4]}}
        max_retries: 1
        """, "f.yaml", "f");
    int[] calls = {0};
    Worker.builder().setSweep(sweep).setFunction(trial -> {
      if (calls[0]++ == 0) {
        throw new IllegalStateException("CUDA out of memory");
      }
      trial.log(1, "eval_loss", 0.5);
    }).build().run();
    TrialInfo t = sweep.trials().get(0);
    assertEquals(2, calls[0]);
    assertEquals(TrialState.FINISHED, t.state());
    assertEquals(2, t.attempts());
  }

  @Test
  void secondSweepWithTheSameNameIsRefused() {
    RunStore store = RunStore.open(tmp);
    Sweep.create(store, GRID, "a.yaml", "same");
    String msg = assertThrows(TrackException.class, () -> Sweep.create(store, GRID, "b.yaml", "same")).getMessage();
    assertTrue(msg.startsWith("a sweep named 'same' already exists in " + store.sweepsDir()), msg);
    msg = assertThrows(TrackException.class, () -> Sweep.open(store, "other")).getMessage();
    assertTrue(msg.contains("no sweep 'other'") && msg.contains("[same]"), msg);
    msg = assertThrows(TrackException.class, () -> Sweep.create(store, GRID, "c.yaml", null)).getMessage();
    assertTrue(msg.contains("c.yaml: missing key 'name'"), msg);
  }

  @Test
  void lostTrialIsReclaimedAndRequeuedWorkerTakesBackItsOwnTrial() throws Exception {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, GRID, "grid.yaml", "lost");
    SweepController c = sweep.controller();
    Trial first = c.claimNext("dead-worker", java.time.Duration.ofMillis(1)).orElseThrow();
    first.stopHeartbeat();
    first.run().log(1, "eval_loss", 9);
    Thread.sleep(5);
    assertEquals(TrialState.LOST, sweep.trials().get(0).state());
    Trial again = c.claimNext("w2", java.time.Duration.ofMinutes(1)).orElseThrow();
    assertEquals(0, again.number());
    assertEquals(1, again.attempt());
    new ToyObjective().run(again);
    c.complete(again, null);
    c.complete(first, null);
    TrialInfo t = sweep.trials().get(0);
    assertEquals(TrialState.FINISHED, t.state());
    assertEquals(2, t.attempts());
    assertEquals("w2", t.worker());

    Trial mine = c.claimNext("slurm-7_3", java.time.Duration.ofMinutes(1)).orElseThrow();
    mine.stopHeartbeat();
    Trial requeued = c.claimNext("slurm-7_3", java.time.Duration.ofMinutes(1)).orElseThrow();
    assertEquals(mine.number(), requeued.number(), "a requeued Slurm task reclaims its own trial at once");
    assertEquals(1, requeued.attempt());
    requeued.stopHeartbeat();
  }

  @Test
  void staleSuggestionLockOfACrashedWorkerIsBroken() throws Exception {
    RunStore store = RunStore.open(tmp);
    Sweep sweep = Sweep.create(store, GRID, "grid.yaml", "lock");
    Files.writeString(sweep.dir().resolve("lock"), "t " + (System.currentTimeMillis() - 120_000) + " crashed-host-1-aa");
    Trial t = sweep.controller().claimNext("w", java.time.Duration.ofMinutes(1)).orElseThrow();
    t.stopHeartbeat();
    assertNotNull(t.params());
    assertEquals(Map.of("lr", 1e-5, "batch_size", 4, "r", 4, "epochs", 3), t.params());
  }
}
