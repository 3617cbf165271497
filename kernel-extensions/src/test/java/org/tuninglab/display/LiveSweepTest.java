package org.tuninglab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.Trial;
import org.tuninglab.track.sweep.Worker;
import org.tuninglab.train.StepReport;
import tech.tablesaw.api.Table;

class LiveSweepTest {

  @Test
  void oneBarOverAllTrialsStepsAndTheTrialTableRedrawnAfterEachTrial(@TempDir Path dir) {
    Sweep sweep = Sweep.create(RunStore.open(dir), """
        name: s
        method: grid
        metric: {name: eval_loss, goal: minimize}
        parameters:
          lr: {values: [0.1, 0.01, 0.001]}
        """, "test", null);
    List<ProgressSnapshot> bars = new ArrayList<>();
    List<Table> tables = new ArrayList<>();
    LiveSweep live = new LiveSweep(sweep, 4, bars::add, tables::add);
    // Trial 1 stops after 2 of its 4 steps, as ASHA would; the others run all 4.
    Worker.builder().setSweep(sweep).setFunction((Trial trial) -> {
      int steps = trial.number() == 1 ? 2 : 4;
      for (int step = 1; step <= steps; step++) {
        live.onStep(new StepReport(step, 4, 0, 1.0 / step, 1e-3, 1, 10, false, 1));
      }
      trial.log(steps, "eval_loss", trial.doubleParam("lr"));
    }).optOnTrialEnd(live).build().run();

    assertEquals(3, tables.size());
    assertEquals(List.of(1, 2, 3), tables.stream().map(Table::rowCount).toList());
    assertEquals(List.of(4, 2, 4), tables.get(2).intColumn("steps").asList());
    ProgressSnapshot last = bars.get(bars.size() - 1);
    assertTrue(last.finished());
    assertEquals(12, last.step());
    assertEquals(12, last.totalSteps());
    assertEquals("Sweep s: 3 trials of up to 4 steps", last.title());
  }
}
