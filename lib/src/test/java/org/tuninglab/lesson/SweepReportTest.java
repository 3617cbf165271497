package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.ToyObjective;
import org.tuninglab.track.sweep.TrialInfo;
import org.tuninglab.track.sweep.TrialState;
import org.tuninglab.track.sweep.Worker;
import tech.tablesaw.api.Table;

class SweepReportTest {

  @Test
  void spearmanRanksWithTiesAndIsUndefinedForAConstant() {
    assertEquals(1.0, SweepReport.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 400}), 1e-12);
    assertEquals(-1.0, SweepReport.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
    // x ranks 1.5, 1.5, 3 against 1, 2, 3
    assertEquals(0.8660254037844386, SweepReport.spearman(new double[] {5, 5, 9}, new double[] {1, 2, 3}), 1e-12);
    assertTrue(Double.isNaN(SweepReport.spearman(new double[] {4, 4, 4}, new double[] {1, 2, 3})));
  }

  @Test
  void theConclusionReadsTheSweepsOwnNumbers(@TempDir Path dir) {
    String spec = """
        name: toy
        method: random
        metric: {name: eval_loss, goal: minimize}
        parameters:
          lr: {distribution: log_uniform_values, min: 1.0e-3, max: 1.0e-1}
          r: {values: [4, 8, 16]}
          max_steps: {value: 5}
          epochs: {value: 5}
          noise: {value: 0}
        early_terminate: {type: hyperband, min_iter: 1, eta: 2}
        run_cap: 8
        seed: 3
        """;
    Sweep sweep = Sweep.create(RunStore.open(dir), spec, "test", null);
    Worker.builder().setSweep(sweep).setFunction(new ToyObjective()).build().run();

    Table trials = SweepReport.trials(sweep);
    assertEquals(8, trials.rowCount());
    assertEquals(java.util.List.of("trial", "lr", "r", "state", "eval_loss", "steps"), trials.columnNames());
    // The toy logs eval_loss and train_loss once per epoch: a trial's steps are its epochs.
    long pruned = sweep.trials().stream().filter(t -> t.state() == TrialState.PRUNED).count();
    assertTrue(pruned > 0, "ASHA at eta 2 stops some of 8 trials");
    int stepsRan = (int) trials.intColumn("steps").sum();
    assertTrue(stepsRan < 40, "pruned trials trained fewer than 5 epochs: " + stepsRan);

    String md = SweepReport.conclusion(sweep).text();
    TrialInfo best = sweep.progress().best();
    assertTrue(md.startsWith("**8 trials**: " + (8 - pruned) + " finished, " + pruned + " stopped early by ASHA."), md);
    assertTrue(md.contains("The best is trial " + best.number() + " (lr " + SweepReport.num(((Number) best.params().get("lr")).doubleValue())), md);
    assertTrue(md.contains("Early stopping trained " + stepsRan + " of the 40 steps that 8 full trials take"), md);
    assertTrue(md.contains("Rank correlation of each parameter with eval_loss at the first evaluation (step 1, which all 8"
        + " trials reached): lr ρ = "), md);
    // Above 3e-4 the toy's loss climbs steeply with lr and barely moves with r.
    assertTrue(md.contains("In this run lr tracked the loss most closely (a higher lr went with a higher loss)"), md);
  }
}
