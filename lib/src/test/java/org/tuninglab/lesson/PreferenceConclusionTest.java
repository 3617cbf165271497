package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreferenceConclusionTest {

  private static PreferenceBeforeAfter.Side side(double accuracy, double margin, double chosen, double rate, double f1) {
    return new PreferenceBeforeAfter.Side(
        Map.of("rewards/accuracies", accuracy, "rewards/margins", margin, "logps/chosen", chosen), null, rate, f1);
  }

  @Test
  void oneRunsConclusionReadsItsNumbersAndSaysWhichWayTheChosenAnswersMoved() {
    String md = PreferenceConclusion.of(side(0.5, 0, -20.4, 0, 0.481), side(1, 3.25, -9.8, 0.85, 0.528)).text();
    assertEquals("**In this run** the holdout reward accuracy went from 0.50 to 1.00 and the margin from 0.00 to 3.25."
        + " The chosen answers' holdout log-probability rose from -20.4 to -9.8: the run made the preferred answers"
        + " more likely. In the generated text, the preference rate went from 0.00 to 0.85 and the entity F1 from"
        + " 0.481 to 0.528.", md);
    assertTrue(PreferenceConclusion.of(side(0.5, 0, -20, 0, 0.5), side(1, 2, -31, 0.1, 0.02)).text()
        .contains("fell from -20.0 to -31.0: the run made the preferred answers less likely"));
  }

  @Test
  void theBetaComparisonIsATableAndASentenceFromItsRuns() {
    var betas = new BetaComparison(List.of(new BetaComparison.Setting(0.5, side(1, 3, -9.8, 0.85, 0.528)),
        new BetaComparison.Setting(0.1, side(0.97, 1, -14.5, 0.4, 0.51))));
    var table = betas.table();
    assertEquals("beta, measured in this run", table.name());
    assertArrayEquals(new double[] {0.5, 0.1}, table.doubleColumn("beta").asDoubleArray());
    assertArrayEquals(new double[] {-9.8, -14.5}, table.doubleColumn("holdout logps/chosen").asDoubleArray());
    assertArrayEquals(new double[] {0.85, 0.4}, table.doubleColumn("preference_rate").asDoubleArray());
    assertEquals("**In this run** β 0.1 left the chosen answers less likely than β 0.5 did (holdout log-probability"
        + " -14.5 against -9.8), with reward accuracy 0.97 against 1.00. In the text: preference rate 0.40 against"
        + " 0.85, entity F1 0.510 against 0.528.", PreferenceConclusion.beta(betas).text());
    assertThrows(IllegalArgumentException.class, () -> new BetaComparison(List.of(betas.settings().get(0))));
  }
}
