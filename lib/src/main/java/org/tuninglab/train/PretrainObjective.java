package org.tuninglab.train;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;
import org.tuninglab.eval.RepeatedTokensLoss;
import org.tuninglab.score.ForwardPass;

/**
 * Pretraining's objective: next-token cross-entropy on every token, as {@link SftObjective}, with
 * a holdout evaluation that also runs the copying test ({@link RepeatedTokensLoss}), so a run
 * shows when its model starts to copy from the context (the loss of the repeat falls away from the
 * first pass's). The holdout loss alone does not show it.
 */
public final class PretrainObjective implements TrainingObjective<EncodedExample> {
  /** Metric: mean loss per token on the first pass of the random sequences. */
  public static final String REPEAT_FIRST_PASS = "repeat_first_pass";

  /** Metric: mean loss per token on their repeat; near 0 once the model copies. */
  public static final String REPEAT_SECOND_PASS = "repeat_second_pass";

  private static final int SEQUENCES = 8;
  private static final int MAX_PASS_LENGTH = 100;
  private static final long SEED = 0;

  private final SftObjective tokens;
  private final int ordinaryTokens;

  /**
   * @param collator pads the micro-batches and builds their labels
   * @param ordinaryTokens the copying test draws ids below this (see {@link
   *     RepeatedTokensLoss#ordinaryTokens})
   */
  public PretrainObjective(SftCollator collator, int ordinaryTokens) {
    this.tokens = new SftObjective(collator);
    this.ordinaryTokens = ordinaryTokens;
  }

  @Override
  public long weight(EncodedExample e) {
    return tokens.weight(e);
  }

  @Override
  public int length(EncodedExample e) {
    return tokens.length(e);
  }

  @Override
  public Loss loss(ForwardPass model, List<EncodedExample> examples, NDManager scope) {
    return tokens.loss(model, examples, scope);
  }

  @Override
  public Evaluation evaluate(
      ForwardPass model, List<EncodedExample> holdout, int batchSize, NDManager manager) {
    Evaluation loss = tokens.evaluate(model, holdout, batchSize, manager);
    int passLength = Math.min(MAX_PASS_LENGTH, model.base().config().maxPositions() / 2);
    RepeatedTokensLoss.Result copying =
        RepeatedTokensLoss.measure(model, ordinaryTokens, SEQUENCES, passLength, SEED);
    return new Evaluation(
        loss.loss(),
        loss.units(),
        Map.of(REPEAT_FIRST_PASS, copying.firstPass(), REPEAT_SECOND_PASS, copying.secondPass()));
  }
}
