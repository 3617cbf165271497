package org.tuninglab.preference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a preference run's curves (TRL's names; the holdout's with an {@code eval_} prefix) and
 * says in plain words what they show. Each rule compares the mean of a curve's first fifth with
 * the mean of its last fifth (its "start" and "end"), so single noisy steps do not trigger it:
 *
 * <ul>
 *   <li>{@link Symptom#BOTH_LIKELIHOODS_FALLING}: {@code rewards/chosen} ends more than {@code
 *       beta} (one nat of log-ratio) below its start while {@code rewards/margins} ends higher;
 *   <li>{@link Symptom#MARGINS_SATURATED}: {@code rewards/margins} rose, and its last quarter of
 *       steps added under 5 % of the rise;
 *   <li>{@link Symptom#MEMORISING_PAIRS}: {@code loss} ends under 0.1 (log 2 = 0.693 at the start)
 *       while {@code eval_rewards/accuracies} moved by under 0.05 and ends under 0.8 (flat at a
 *       high accuracy is a preference learned early, not memorised);
 *   <li>{@link Symptom#BETA_TOO_LARGE}: {@code loss} ends under 0.35 while the margin in nats,
 *       {@code rewards/margins / beta}, ends under 1;
 *   <li>{@link Symptom#BETA_TOO_SMALL}: a side's log-ratio to the reference, {@code
 *       |rewards/chosen| / beta} or {@code |rewards/rejected| / beta}, ends beyond 30 nats.
 * </ul>
 *
 * <p>Thresholds are rules of thumb for answers of tens of tokens; the sentences carry the run's
 * numbers so a reader can judge.
 */
public final class PreferenceDiagnosis {
  /** Training loss below this counts as near zero. */
  static final double NEAR_ZERO_LOSS = 0.1;

  /** Holdout accuracy that moves less than this counts as flat. */
  static final double FLAT_ACCURACY = 0.05;

  /** A flat holdout accuracy below this has not learned the preference. */
  static final double LEARNED_ACCURACY = 0.8;

  /** A margin in nats below this is too small to change generated answers. */
  static final double SMALL_MARGIN_NATS = 1;

  /** A log-ratio to the reference beyond this many nats is a large drift. */
  static final double DRIFT_NATS = 30;

  private PreferenceDiagnosis() {}

  /**
   * Recognises the symptoms the curves show.
   *
   * @param curves metric name to its points in step order, e.g. {@code rewards/margins}, {@code
   *     eval_rewards/accuracies}
   * @param beta the run's beta (rewards are {@code beta} times log-ratios)
   * @return the findings, in {@link Symptom} order; empty when nothing stands out
   */
  public static List<Finding> diagnose(Map<String, List<CurvePoint>> curves, double beta) {
    if (!(beta > 0)) {
      throw new IllegalArgumentException("beta must be > 0, got " + beta);
    }
    List<Finding> findings = new ArrayList<>();
    List<CurvePoint> chosen = curves.getOrDefault("rewards/chosen", List.of());
    List<CurvePoint> rejected = curves.getOrDefault("rewards/rejected", List.of());
    List<CurvePoint> margins = curves.getOrDefault("rewards/margins", List.of());
    List<CurvePoint> loss = curves.getOrDefault("loss", List.of());
    List<CurvePoint> holdout = curves.getOrDefault("eval_rewards/accuracies", List.of());

    if (chosen.size() >= 2 && margins.size() >= 2
        && end(chosen) < start(chosen) - beta && end(margins) > start(margins)) {
      findings.add(
          new Finding(
              Symptom.BOTH_LIKELIHOODS_FALLING,
              format(
                  "The chosen rewards fell from %.3f to %.3f while the margins grew from %.3f to"
                      + " %.3f: both answers are becoming less likely than under the reference, the"
                      + " rejected ones faster. The model learns the preference by pushing answers"
                      + " down, not by raising the chosen ones, so generated text can get worse"
                      + " while accuracy rises; read samples, and try a lower learning rate, fewer"
                      + " steps or a larger beta.",
                  start(chosen), end(chosen), start(margins), end(margins))));
    }
    if (margins.size() >= 8) {
      double first = margins.get(0).value();
      double rise = max(margins) - first;
      int lastQuarter = margins.size() - Math.max(2, margins.size() / 4);
      double lateGain = margins.get(margins.size() - 1).value() - margins.get(lastQuarter).value();
      if (rise > beta && lateGain < 0.05 * rise) {
        findings.add(
            new Finding(
                Symptom.MARGINS_SATURATED,
                format(
                    "The margins have stopped growing: they rose from %.3f to %.3f, and the last"
                        + " quarter of the run (from step %d) added %.3f. More steps on these pairs"
                        + " mostly move the policy further from the reference; stop here, or add"
                        + " pairs.",
                    first, max(margins), margins.get(lastQuarter).step(), lateGain)));
      }
    }
    if (loss.size() >= 2 && holdout.size() >= 2
        && end(loss) < NEAR_ZERO_LOSS
        && Math.abs(end(holdout) - start(holdout)) < FLAT_ACCURACY
        && end(holdout) < LEARNED_ACCURACY) {
      findings.add(
          new Finding(
              Symptom.MEMORISING_PAIRS,
              format(
                  "The training loss is near zero (%.3f; it starts at log 2 = 0.693) but the"
                      + " holdout accuracy stayed at %.2f (from %.2f): the model has memorised the"
                      + " training pairs rather than learned a preference that carries to new"
                      + " prompts. Use more varied pairs, fewer epochs, or a larger beta.",
                  end(loss), end(holdout), start(holdout))));
    }
    if (loss.size() >= 2 && margins.size() >= 2
        && end(loss) < 0.35 && end(margins) / beta < SMALL_MARGIN_NATS) {
      findings.add(
          new Finding(
              Symptom.BETA_TOO_LARGE,
              format(
                  "With beta = %s the loss fell to %.3f while the policy's margin over the"
                      + " reference is only %.2f nats: a move that small rarely changes what the"
                      + " model writes. Try a smaller beta (0.1 is the usual start).",
                  beta, end(loss), end(margins) / beta)));
    }
    double drift = Math.max(abs(end(chosen)), abs(end(rejected))) / beta;
    if ((chosen.size() >= 2 || rejected.size() >= 2) && drift > DRIFT_NATS) {
      findings.add(
          new Finding(
              Symptom.BETA_TOO_SMALL,
              format(
                  "With beta = %s the policy has moved %.1f nats from the reference on an answer"
                      + " (rewards/chosen %.3f, rewards/rejected %.3f): little holds it near the"
                      + " reference, and text quality tends to suffer (repetition, rambling, lost"
                      + " skills). Try a larger beta, or fewer steps.",
                  beta, drift, end(chosen), end(rejected))));
    }
    return findings;
  }

  /**
   * The findings as one paragraph.
   *
   * @param curves metric name to its points
   * @param beta the run's beta
   * @return the sentences, or a sentence saying that nothing stands out
   */
  public static String explain(Map<String, List<CurvePoint>> curves, double beta) {
    List<Finding> findings = diagnose(curves, beta);
    if (findings.isEmpty()) {
      return "Nothing stands out: no falling chosen likelihood, saturated margins, memorised pairs"
          + " or beta out of range in these curves.";
    }
    return String.join(" ", findings.stream().map(Finding::sentence).toList());
  }

  /** The mean of the first fifth of the points (at least one). */
  private static double start(List<CurvePoint> curve) {
    return mean(curve, 0, Math.max(1, curve.size() / 5));
  }

  /** The mean of the last fifth of the points (at least one); NaN for no points. */
  private static double end(List<CurvePoint> curve) {
    return curve.isEmpty()
        ? Double.NaN
        : mean(curve, curve.size() - Math.max(1, curve.size() / 5), curve.size());
  }

  private static double mean(List<CurvePoint> curve, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += curve.get(i).value();
    }
    return sum / (to - from);
  }

  private static double max(List<CurvePoint> curve) {
    return curve.stream().mapToDouble(CurvePoint::value).max().orElse(Double.NaN);
  }

  /** |x|, with NaN (a missing curve) as 0. */
  private static double abs(double x) {
    return Double.isNaN(x) ? 0 : Math.abs(x);
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
