package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.StopReason;
import org.tuninglab.train.TrainingResult;

class LossCurveTest {

  private static TrainingResult run(long steps, List<Double> losses, List<EvalReport> evals) {
    return new TrainingResult(StopReason.COMPLETED, "trained " + steps + " steps", steps, losses, evals,
        null, null, List.of());
  }

  @Test
  void everyUpdateAndEveryEvaluationIsAPointOnAxesThatSayWhatTheyAre() {
    XYChart chart = LossCurve.of("LoRA", run(3, List.of(3.0, 2.0, 1.5),
        List.of(new EvalReport(2, 2.5, 12.2, 100, true), new EvalReport(3, 2.25, 9.5, 100, true))));
    assertEquals("update", chart.getXAxisTitle());
    assertEquals("loss per answer token", chart.getYAxisTitle());
    var batches = chart.getSeriesMap().get("training batch");
    assertArrayEquals(new double[] {1, 2, 3}, batches.getXData());
    assertArrayEquals(new double[] {3.0, 2.0, 1.5}, batches.getYData());
    var holdout = chart.getSeriesMap().get("holdout");
    assertArrayEquals(new double[] {2, 3}, holdout.getXData());
    assertArrayEquals(new double[] {2.5, 2.25}, holdout.getYData());
  }

  @Test
  void aResumedRunIsNumberedFromWhereThisProcessStartedAndARunWithoutEvaluationsHasOneSeries() {
    XYChart chart = LossCurve.of("resumed", run(10, List.of(1.0, 0.5), List.of()));
    assertArrayEquals(new double[] {9, 10}, chart.getSeriesMap().get("training batch").getXData());
    assertEquals(1, chart.getSeriesMap().size());
  }

  @Test
  void aRunWithoutUpdatesIsAnErrorThatSaysWhy() {
    var e = assertThrows(IllegalArgumentException.class, () -> LossCurve.of("none", run(0, List.of(), List.of())));
    assertTrue(e.getMessage().contains("did no update") && e.getMessage().contains("trained 0 steps"), e.getMessage());
  }
}
