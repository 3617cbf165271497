package org.tuninglab.train;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.preference.PreferenceMetrics;
import org.tuninglab.preference.PreferenceObjective;
import org.tuninglab.preference.PreferenceOutput;
import org.tuninglab.score.ForwardPass;

/**
 * A preference objective (DPO, IPO, SimPO, with or without a supervised term) as the trainer's
 * {@link TrainingObjective}: each pair weighs 1, so an update's loss and metrics are means over its
 * pairs whatever the accumulation. Steps report TRL's metric names ({@code rewards/chosen}, ...,
 * {@code logits/rejected}); holdout evaluations the same names prefixed {@code eval_}, with the
 * holdout loss as the evaluation's loss (early stopping follows it).
 */
public final class DpoObjective implements TrainingObjective<EncodedPair> {
  /** The prefix of holdout metrics, as TRL logs them. */
  public static final String EVAL_PREFIX = "eval_";

  private final PreferenceObjective objective;
  private final PreferenceCollator collator;

  /**
   * @param objective the loss and where the reference comes from
   * @param collator pads the pairs' two sides into one batch
   */
  public DpoObjective(PreferenceObjective objective, PreferenceCollator collator) {
    this.objective = Objects.requireNonNull(objective, "objective");
    this.collator = Objects.requireNonNull(collator, "collator");
  }

  @Override
  public long weight(EncodedPair pair) {
    return 1;
  }

  /** Both sides' tokens: the rows the step's forward pass reads. */
  @Override
  public int length(EncodedPair pair) {
    return pair.chosen().length() + pair.rejected().length();
  }

  @Override
  public Loss loss(ForwardPass model, List<EncodedPair> pairs, NDManager scope) {
    PreferenceOutput out = objective.compute(model, collator.collate(pairs, scope));
    int b = pairs.size();
    // The objective averages over the micro-batch's pairs; the step wants sums over its units.
    Map<String, Double> sums = new LinkedHashMap<>();
    withoutLoss(out.metrics(), "").forEach((k, v) -> sums.put(k, v * b));
    return new Loss(out.loss().mul(OwnedScalar.of(scope, (float) b)), sums);
  }

  @Override
  public Evaluation evaluate(
      ForwardPass model, List<EncodedPair> holdout, int batchSize, NDManager manager) {
    PreferenceMetrics m = objective.evaluate(model, collator, holdout, batchSize);
    return new Evaluation(m.loss(), m.pairs(), withoutLoss(m, EVAL_PREFIX));
  }

  /** The metrics but the loss, which the trainer reports as its own. */
  private static Map<String, Double> withoutLoss(PreferenceMetrics m, String prefix) {
    Map<String, Double> map = m.asMap(prefix);
    map.remove(prefix + "loss");
    return map;
  }
}
