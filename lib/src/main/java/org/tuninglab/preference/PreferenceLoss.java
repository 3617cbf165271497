package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import org.tuninglab.model.OwnedScalar;

/**
 * A preference loss, written once as a function of the four summed log-probabilities: the
 * policy's and the reference's, of the chosen and of the rejected answer. With {@code
 * h = (log pi(y_w) - log pi(y_l)) - (log ref(y_w) - log ref(y_l))}:
 *
 * <ul>
 *   <li>{@link SigmoidDpo}: {@code -(1 - eps) log sigma(beta h) - eps log sigma(-beta h)} (DPO;
 *       with {@code eps > 0}, conservative DPO, which assumes a fraction {@code eps} of the labels
 *       are flipped);
 *   <li>{@link Ipo}: {@code (h - 1 / (2 beta))^2}, which pulls the margin to a finite target
 *       instead of pushing it to infinity;
 *   <li>{@link Simpo}: reference-free, on length-normalised log-probabilities.
 * </ul>
 *
 * <p>The implicit rewards are {@code beta (log pi(y) - log ref(y))} for DPO and IPO, {@code beta
 * log pi(y) / |y|} for SimPO, as TRL computes them.
 */
public sealed interface PreferenceLoss {

  /** TRL's {@code loss_type} name: sigmoid, ipo, simpo. */
  String name();

  /** The strength of the pull toward the reference (for SimPO, the reward scale). */
  double beta();

  /** Whether the loss reads the reference model's log-probabilities. */
  boolean needsReference();

  /**
   * The loss of each pair and its rewards.
   *
   * @param policy the trained model's log-probabilities (with gradient)
   * @param reference the reference model's (no gradient); ignored, and may be null, when {@link
   *     #needsReference()} is false
   * @return the per-pair losses and rewards
   */
  LossTerms terms(PairLogps policy, PairLogps reference);

  /** DPO with TRL's default {@code beta = 0.1} and no label smoothing. */
  static PreferenceLoss dpo() {
    return new SigmoidDpo(0.1, 0);
  }

  /**
   * The sigmoid (DPO) loss.
   *
   * @param beta the pull toward the reference, usually 0.1 to 0.5
   * @param labelSmoothing the assumed fraction of flipped labels, in [0, 0.5)
   * @return the loss
   */
  static PreferenceLoss sigmoid(double beta, double labelSmoothing) {
    return new SigmoidDpo(beta, labelSmoothing);
  }

  static PreferenceLoss ipo(double beta) {
    return new Ipo(beta);
  }

  /**
   * SimPO with TRL's defaults elsewhere: {@code beta = 2.0}, {@code gamma / beta = 0.5}.
   *
   * @param beta the reward scale
   * @param gammaBetaRatio the target margin divided by beta
   * @return the loss
   */
  static PreferenceLoss simpo(double beta, double gammaBetaRatio) {
    return new Simpo(beta, gammaBetaRatio);
  }

  /** The sigmoid DPO loss, with label smoothing (conservative DPO) when {@code eps > 0}. */
  record SigmoidDpo(double beta, double labelSmoothing) implements PreferenceLoss {
    /** Checks the ranges. */
    public SigmoidDpo {
      requirePositive(beta);
      if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
        throw new IllegalArgumentException("label smoothing must be in [0, 0.5), got " + labelSmoothing);
      }
    }

    @Override
    public String name() {
      return "sigmoid";
    }

    @Override
    public boolean needsReference() {
      return true;
    }

    @Override
    public LossTerms terms(PairLogps policy, PairLogps reference) {
      NDManager m = policy.chosen().getManager();
      NDArray z = margin(policy, reference).mul(OwnedScalar.of(m, (float) beta)); // (B)
      // -log sigma(z) = softplus(-z): stable for large |z|.
      NDArray losses = Activation.softPlus(z.neg()); // (B)
      if (labelSmoothing > 0) {
        losses =
            losses
                .mul(OwnedScalar.of(m, (float) (1 - labelSmoothing)))
                .add(Activation.softPlus(z).mul(OwnedScalar.of(m, (float) labelSmoothing)));
      }
      return withReferenceRewards(losses, policy, reference, beta);
    }
  }

  /** IPO: the squared distance of the margin from {@code 1 / (2 beta)}. */
  record Ipo(double beta) implements PreferenceLoss {
    /** Checks the range. */
    public Ipo {
      requirePositive(beta);
    }

    @Override
    public String name() {
      return "ipo";
    }

    @Override
    public boolean needsReference() {
      return true;
    }

    @Override
    public LossTerms terms(PairLogps policy, PairLogps reference) {
      NDManager m = policy.chosen().getManager();
      NDArray losses = margin(policy, reference).sub(OwnedScalar.of(m, (float) (1 / (2 * beta)))).square();
      return withReferenceRewards(losses, policy, reference, beta);
    }
  }

  /**
   * SimPO: {@code -log sigma(beta (log pi(y_w) / |y_w| - log pi(y_l) / |y_l|) - gamma)}, no
   * reference model. Chosen over ORPO because it is a function of the same per-answer
   * log-probabilities (and lengths) as DPO, so it shares the collation, the step and the metrics,
   * while ORPO adds a separate supervised term and odds ratios on mean token probabilities.
   */
  record Simpo(double beta, double gammaBetaRatio) implements PreferenceLoss {
    /** Checks the ranges. */
    public Simpo {
      requirePositive(beta);
      if (!(gammaBetaRatio >= 0)) {
        throw new IllegalArgumentException("gamma / beta must be >= 0, got " + gammaBetaRatio);
      }
    }

    @Override
    public String name() {
      return "simpo";
    }

    @Override
    public boolean needsReference() {
      return false;
    }

    @Override
    public LossTerms terms(PairLogps policy, PairLogps reference) {
      NDManager m = policy.chosen().getManager();
      NDArray chosen = policy.chosen().div(policy.chosenTokens()); // (B)
      NDArray rejected = policy.rejected().div(policy.rejectedTokens()); // (B)
      NDArray b = OwnedScalar.of(m, (float) beta);
      NDArray z = chosen.sub(rejected).sub(OwnedScalar.of(m, (float) gammaBetaRatio)).mul(b);
      NDArray losses = Activation.softPlus(z.neg()); // (B)
      return new LossTerms(
          losses, chosen.stopGradient().mul(b), rejected.stopGradient().mul(b));
    }
  }

  /** {@code h}: the policy's log-ratio of chosen to rejected minus the reference's, {@code (B)}. */
  private static NDArray margin(PairLogps policy, PairLogps reference) {
    if (reference == null) {
      throw new IllegalArgumentException("this loss needs the reference model's log-probabilities");
    }
    return policy.chosen().sub(policy.rejected()).sub(reference.chosen().sub(reference.rejected()));
  }

  private static LossTerms withReferenceRewards(
      NDArray losses, PairLogps policy, PairLogps reference, double beta) {
    NDArray b = OwnedScalar.of(policy.chosen().getManager(), (float) beta);
    return new LossTerms(
        losses,
        policy.chosen().stopGradient().sub(reference.chosen()).mul(b),
        policy.rejected().stopGradient().sub(reference.rejected()).mul(b));
  }

  private static void requirePositive(double beta) {
    if (!(beta > 0)) {
      throw new IllegalArgumentException("beta must be > 0, got " + beta);
    }
  }
}
