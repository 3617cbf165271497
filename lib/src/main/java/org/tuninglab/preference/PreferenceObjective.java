package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceBatch;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.NoGrad;

/**
 * What a preference step optimises: a loss over the policy's and the reference's answer
 * log-probabilities, one forward pass of the policy over both sides of a batch, and the batch's
 * metrics. A trainer opens the gradient collector around {@link #compute}, calls backward on the
 * loss and updates the policy's trainable arrays; the reference is scored without gradient (or
 * looked up) inside it.
 *
 * <pre>{@code
 * PreferenceObjective dpo = PreferenceObjective.withReference(PreferenceLoss.dpo(), ReferenceModel.of(lora));
 * try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
 *   PreferenceOutput out = dpo.compute(lora, collator.collate(pairs, step));
 *   gc.backward(out.loss());
 * }
 * }</pre>
 */
public final class PreferenceObjective {
  private final PreferenceLoss loss;
  private final Function<PreferenceBatch, PairLogps> reference; // null when reference-free
  private final String describe;
  private final double sftWeight;

  private PreferenceObjective(
      PreferenceLoss loss,
      Function<PreferenceBatch, PairLogps> reference,
      String describe,
      double sftWeight) {
    this.loss = Objects.requireNonNull(loss, "loss");
    if (loss.needsReference() && reference == null) {
      throw new IllegalArgumentException(
          "the " + loss.name() + " loss needs a reference model or precomputed reference log-probabilities");
    }
    if (!(sftWeight >= 0)) {
      throw new IllegalArgumentException("the SFT weight must be >= 0, got " + sftWeight);
    }
    this.reference = reference;
    this.describe = describe;
    this.sftWeight = sftWeight;
  }

  /**
   * The loss with a reference model scored at every step.
   *
   * @param loss the loss
   * @param reference the reference model
   * @return the objective
   */
  public static PreferenceObjective withReference(PreferenceLoss loss, ReferenceModel reference) {
    return new PreferenceObjective(
        loss, batch -> reference.score(batch).pairs(batch.size()), reference.describe(), 0);
  }

  /**
   * The loss with the reference's log-probabilities looked up from a precomputed pass.
   *
   * @param loss the loss
   * @param reference the precomputed values, covering every pair the objective will see
   * @return the objective
   */
  public static PreferenceObjective withPrecomputed(PreferenceLoss loss, ReferenceLogProbs reference) {
    return new PreferenceObjective(
        loss, reference::lookup, "precomputed reference log-probabilities", 0);
  }

  /**
   * A reference-free loss (SimPO).
   *
   * @param loss the loss; {@link PreferenceLoss#needsReference()} must be false
   * @return the objective
   */
  public static PreferenceObjective referenceFree(PreferenceLoss loss) {
    return new PreferenceObjective(loss, null, "no reference", 0);
  }

  /**
   * The same objective plus {@code weight} times the chosen answers' mean token cross-entropy
   * (TRL's {@code rpo_alpha}): it keeps the chosen answers likely while the preference term
   * separates the pair, against the failure where both likelihoods fall and generation breaks.
   *
   * @param weight the weight of the supervised term, 0 for none (TRL's RPO paper uses 1)
   * @return the objective with the term
   */
  public PreferenceObjective withSftWeight(double weight) {
    return new PreferenceObjective(loss, reference, describe, weight);
  }

  /** The weight of the chosen answers' cross-entropy in the loss (0 for pure preference). */
  public double sftWeight() {
    return sftWeight;
  }

  public PreferenceLoss loss() {
    return loss;
  }

  /** Where the reference's log-probabilities come from, for reports. */
  public String describeReference() {
    return describe;
  }

  /**
   * Scores a batch: the reference first (no gradient), then the policy's forward pass over both
   * sides (recorded when a gradient collector is open), then the loss and the metrics.
   *
   * @param policy the model being trained
   * @param batch the batch, its arrays in the step's manager
   * @return the mean loss (with gradient) and the metrics
   */
  public PreferenceOutput compute(ForwardPass policy, PreferenceBatch batch) {
    PairLogps ref = reference == null ? null : reference.apply(batch);
    SequenceScores scores =
        SequenceLogProbs.of(
            policy.logits(batch.rows().inputIds(), batch.rows().attentionMask()), // (2B, T, V)
            batch.rows().labels());
    PairLogps policyLogps = scores.pairs(batch.size());
    LossTerms terms = loss.terms(policyLogps, ref);
    if (sftWeight == 0) {
      return new PreferenceOutput(terms.loss(), PreferenceMetrics.of(terms, scores));
    }
    // Mean over the batch's chosen answer tokens, as the SFT loss averages trained tokens.
    NDArray nll = policyLogps.chosen().sum().neg().div(policyLogps.chosenTokens().sum()); // ()
    NDArray total = terms.loss().add(nll.mul(OwnedScalar.of(nll.getManager(), (float) sftWeight)));
    return new PreferenceOutput(total, PreferenceMetrics.of(terms, scores).withLoss(total.getFloat()));
  }

  /**
   * The metrics over a holdout, without gradient and with dropout off (the policy is left in
   * evaluation mode; a trainer sets training mode before its next step).
   *
   * @param policy the model being trained
   * @param collator the collator that encoded the pairs
   * @param pairs the holdout pairs
   * @param batchSize pairs a forward pass
   * @return the pair-weighted mean metrics
   */
  public PreferenceMetrics evaluate(
      ForwardPass policy, PreferenceCollator collator, List<EncodedPair> pairs, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    policy.setTraining(false);
    List<PreferenceMetrics> parts = new ArrayList<>();
    try (NoGrad off = NoGrad.enter()) {
      for (int from = 0; from < pairs.size(); from += batchSize) {
        try (NDManager step = policy.base().manager().newSubManager()) {
          PreferenceBatch batch =
              collator.collate(pairs.subList(from, Math.min(pairs.size(), from + batchSize)), step);
          parts.add(compute(policy, batch).metrics());
        }
      }
    }
    return PreferenceMetrics.mean(parts);
  }
}
