package org.tuninglab.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The diagnosis on constructed curves: each symptom alone, and a healthy run with none. */
class PreferenceDiagnosisTest {
  private static final int STEPS = 40;

  private static List<CurvePoint> curve(IntToDoubleFunction value) {
    List<CurvePoint> points = new ArrayList<>();
    for (int s = 0; s < STEPS; s++) {
      points.add(new CurvePoint(s + 1, value.applyAsDouble(s)));
    }
    return points;
  }

  /** A healthy beta = 0.1 run: chosen up a little, rejected down, margins still growing. */
  private static Map<String, List<CurvePoint>> healthy() {
    Map<String, List<CurvePoint>> curves = new LinkedHashMap<>();
    curves.put("rewards/chosen", curve(s -> 0.005 * s));
    curves.put("rewards/rejected", curve(s -> -0.02 * s));
    curves.put("rewards/margins", curve(s -> 0.025 * s));
    curves.put("loss", curve(s -> Math.log1p(Math.exp(-0.025 * s))));
    curves.put("eval_rewards/accuracies", curve(s -> 0.5 + 0.4 * s / STEPS));
    return curves;
  }

  private static List<Symptom> symptoms(Map<String, List<CurvePoint>> curves, double beta) {
    return PreferenceDiagnosis.diagnose(curves, beta).stream().map(Finding::symptom).toList();
  }

  @Test
  void aHealthyRunShowsNothing() {
    assertEquals(List.of(), symptoms(healthy(), 0.1));
    assertTrue(PreferenceDiagnosis.explain(healthy(), 0.1).startsWith("Nothing stands out"));
  }

  @Test
  void chosenRewardsFallingWhileMarginsGrowMeansBothLikelihoodsDrop() {
    Map<String, List<CurvePoint>> curves = healthy();
    curves.put("rewards/chosen", curve(s -> -0.01 * s));
    curves.put("rewards/rejected", curve(s -> -0.035 * s));
    assertEquals(List.of(Symptom.BOTH_LIKELIHOODS_FALLING), symptoms(curves, 0.1));
    String text = PreferenceDiagnosis.explain(curves, 0.1);
    assertTrue(text.contains("chosen rewards fell from -0.035 to -0.355 while the margins grew from 0.088 to 0.888"), text);
    assertTrue(text.contains("both answers are becoming less likely"), text);
  }

  @Test
  void marginsThatStopGrowingAreSaturated() {
    Map<String, List<CurvePoint>> curves = healthy();
    curves.put("rewards/margins", curve(s -> 1 - Math.exp(-s / 4.0)));
    assertEquals(List.of(Symptom.MARGINS_SATURATED), symptoms(curves, 0.1));
    assertTrue(PreferenceDiagnosis.explain(curves, 0.1).contains("stopped growing"));
  }

  @Test
  void lossNearZeroWithFlatHoldoutAccuracyIsMemorising() {
    Map<String, List<CurvePoint>> curves = healthy();
    curves.put("loss", curve(s -> LOG2_DECAY.applyAsDouble(s)));
    curves.put("eval_rewards/accuracies", curve(s -> 0.52 + (s % 2) * 0.01));
    assertEquals(List.of(Symptom.MEMORISING_PAIRS), symptoms(curves, 0.1));
    assertTrue(PreferenceDiagnosis.explain(curves, 0.1).contains("memorised the training pairs"));
    // Flat at a high accuracy: learned before the first evaluation, not memorised.
    curves.put("eval_rewards/accuracies", curve(s -> 0.98 + (s % 2) * 0.02));
    assertEquals(List.of(), symptoms(curves, 0.1));
  }

  private static final IntToDoubleFunction LOG2_DECAY = s -> Math.log(2) * Math.exp(-s / 5.0);

  @Test
  void aTinyMarginSatisfyingTheLossMeansBetaIsTooLarge() {
    Map<String, List<CurvePoint>> curves = healthy();
    // beta = 5: a margin of 1.5 reward units is only 0.3 nats, yet the loss is 0.2.
    curves.put("rewards/chosen", curve(s -> 0.01 * s));
    curves.put("rewards/rejected", curve(s -> -0.03 * s));
    curves.put("rewards/margins", curve(s -> 0.04 * s));
    curves.put("loss", curve(s -> 0.69 - 0.5 * s / (STEPS - 1)));
    assertEquals(List.of(Symptom.BETA_TOO_LARGE), symptoms(curves, 5));
  }

  @Test
  void aLargeDriftFromTheReferenceMeansBetaIsTooSmall() {
    Map<String, List<CurvePoint>> curves = healthy();
    // beta = 0.01: the rejected rewards end near -0.55, 55 nats below the reference (the mean of
    // the last fifth of the steps).
    curves.put("rewards/rejected", curve(s -> -0.6 * s / (STEPS - 1)));
    curves.put("rewards/margins", curve(s -> 0.62 * s / (STEPS - 1)));
    curves.put("rewards/chosen", curve(s -> 0.02 * s / (STEPS - 1)));
    List<Finding> findings = PreferenceDiagnosis.diagnose(curves, 0.01);
    assertEquals(List.of(Symptom.BETA_TOO_SMALL), findings.stream().map(Finding::symptom).toList());
    assertTrue(findings.get(0).sentence().contains("moved 54.6 nats"), findings.get(0).sentence());
  }
}
