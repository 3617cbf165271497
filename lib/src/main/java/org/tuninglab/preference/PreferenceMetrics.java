package org.tuninglab.preference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a preference step or evaluation shows, under TRL's names ({@link #asMap()}): the implicit
 * rewards of each side, their margin and how often it is positive, the policy's summed answer
 * log-probabilities and its mean logits over answer tokens, and the loss.
 *
 * <p>One difference from TRL: a pair whose two rewards are exactly equal counts half toward {@code
 * rewards/accuracies} (TRL counts it as wrong), so a policy equal to its reference scores 0.5, a
 * coin's accuracy, rather than 0.
 *
 * @param pairs how many pairs the values average
 * @param loss the mean loss
 * @param rewardsChosen the mean reward of the chosen answers
 * @param rewardsRejected the mean reward of the rejected answers
 * @param rewardsMargins the mean of chosen minus rejected reward
 * @param rewardsAccuracies the fraction of pairs whose chosen reward is higher
 * @param logpsChosen the mean summed log-probability of the chosen answers under the policy
 * @param logpsRejected the same for the rejected answers
 * @param logitsChosen the policy's mean logit over the chosen answers' tokens and the vocabulary
 * @param logitsRejected the same for the rejected answers
 */
public record PreferenceMetrics(
    int pairs,
    double loss,
    double rewardsChosen,
    double rewardsRejected,
    double rewardsMargins,
    double rewardsAccuracies,
    double logpsChosen,
    double logpsRejected,
    double logitsChosen,
    double logitsRejected) {

  /** The metric names, as TRL logs them, in {@link #asMap()}'s order. */
  public static final List<String> NAMES =
      List.of(
          "loss",
          "rewards/chosen",
          "rewards/rejected",
          "rewards/margins",
          "rewards/accuracies",
          "logps/chosen",
          "logps/rejected",
          "logits/chosen",
          "logits/rejected");

  /**
   * Reads the metrics of one batch.
   *
   * @param terms the loss's per-pair values and rewards
   * @param policy the policy's scores of the batch's {@code 2 B} rows
   * @return the metrics, averaged over the batch's pairs
   */
  public static PreferenceMetrics of(LossTerms terms, SequenceScores policy) {
    float[] losses = terms.losses().toFloatArray();
    float[] chosen = terms.chosenRewards().toFloatArray();
    float[] rejected = terms.rejectedRewards().toFloatArray();
    float[] logps = policy.logps().toFloatArray();
    int b = losses.length;
    if (logps.length != 2 * b) {
      throw new IllegalArgumentException(
          "expected " + 2 * b + " scored rows for " + b + " pairs, got " + logps.length);
    }
    double loss = 0;
    double rc = 0;
    double rr = 0;
    double accuracy = 0;
    double lc = 0;
    double lr = 0;
    for (int i = 0; i < b; i++) {
      loss += losses[i];
      rc += chosen[i];
      rr += rejected[i];
      accuracy += chosen[i] > rejected[i] ? 1 : chosen[i] == rejected[i] ? 0.5 : 0;
      lc += logps[i];
      lr += logps[b + i];
    }
    return new PreferenceMetrics(
        b,
        loss / b,
        rc / b,
        rr / b,
        (rc - rr) / b,
        accuracy / b,
        lc / b,
        lr / b,
        policy.meanLogit(0, b),
        policy.meanLogit(b, 2 * b));
  }

  /**
   * Averages the metrics of several batches (a holdout pass, accumulated micro-batches), each
   * weighted by its pairs.
   *
   * @param parts the batches' metrics
   * @return the weighted means
   */
  public static PreferenceMetrics mean(List<PreferenceMetrics> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no metrics to average");
    }
    int n = parts.stream().mapToInt(PreferenceMetrics::pairs).sum();
    double[] sums = new double[NAMES.size()];
    for (PreferenceMetrics p : parts) {
      double[] values = p.values();
      for (int i = 0; i < sums.length; i++) {
        sums[i] += values[i] * p.pairs();
      }
    }
    return new PreferenceMetrics(
        n,
        sums[0] / n,
        sums[1] / n,
        sums[2] / n,
        sums[3] / n,
        sums[4] / n,
        sums[5] / n,
        sums[6] / n,
        sums[7] / n,
        sums[8] / n);
  }

  /**
   * The same metrics with another loss (the objective's total, when a supervised term is added).
   *
   * @param value the loss
   * @return the metrics with {@code loss} replaced
   */
  public PreferenceMetrics withLoss(double value) {
    return new PreferenceMetrics(
        pairs, value, rewardsChosen, rewardsRejected, rewardsMargins, rewardsAccuracies,
        logpsChosen, logpsRejected, logitsChosen, logitsRejected);
  }

  /**
   * The values by TRL's names ({@link #NAMES}).
   *
   * @return an ordered map
   */
  public Map<String, Double> asMap() {
    return asMap("");
  }

  /**
   * The values by TRL's names with a prefix, for example {@code eval_} for the holdout.
   *
   * @param prefix put before every name
   * @return an ordered map
   */
  public Map<String, Double> asMap(String prefix) {
    Map<String, Double> map = new LinkedHashMap<>();
    double[] values = values();
    for (int i = 0; i < values.length; i++) {
      map.put(prefix + NAMES.get(i), values[i]);
    }
    return map;
  }

  private double[] values() {
    return new double[] {
      loss,
      rewardsChosen,
      rewardsRejected,
      rewardsMargins,
      rewardsAccuracies,
      logpsChosen,
      logpsRejected,
      logitsChosen,
      logitsRejected
    };
  }
}
