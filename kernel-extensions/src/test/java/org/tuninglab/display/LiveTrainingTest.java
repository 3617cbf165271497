package org.tuninglab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.train.StepReport;
import org.tuninglab.train.StopReason;
import org.tuninglab.train.TrainingResult;

class LiveTrainingTest {
  @Test
  void aTrainingRunDrivesOneLiveViewToItsLastStep() {
    List<ProgressSnapshot> shown = new ArrayList<>();
    LiveTraining live = new LiveTraining("sft", shown::add);
    for (int step = 1; step <= 5; step++) {
      live.onStep(new StepReport(step, 5, step / 5.0, 3.0 / step, 1e-3, 1.0, 100, false, 1));
    }
    live.onEnd(new TrainingResult(StopReason.COMPLETED, "done", 5, List.of(3.0, 1.5, 1.0, 0.75, 0.6),
        List.of(), null, null, List.of()));
    ProgressSnapshot last = shown.get(shown.size() - 1);
    assertTrue(last.finished());
    assertEquals(5, last.step());
    assertEquals(0.6, last.loss(), 1e-12);
    assertEquals("sft", last.title());
    assertEquals(5, live.snapshot().losses().size());
  }
}
