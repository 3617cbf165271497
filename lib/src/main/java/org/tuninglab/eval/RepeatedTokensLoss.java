package org.tuninglab.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.NoGrad;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * The standard test of in-context copying ("induction"): random token sequences, each shown twice
 * in a row. Nothing predicts a random token the first time; the second time, a model that copies
 * from its context predicts each token from the one before it earlier on, so its loss there falls
 * far below the first pass's (towards 0). A model that only learnt its corpus's statistics scores
 * both passes alike. Few-shot, RAG and the entity task all need this ability, and a holdout loss
 * does not show whether a model has it.
 */
public final class RepeatedTokensLoss {
  private RepeatedTokensLoss() {}

  /**
   * The mean loss per token on each pass.
   *
   * @param firstPass loss on tokens 2..L of the first pass (the first token has no context)
   * @param secondPass loss on tokens 2..L of the repeat (its first token follows the first pass's
   *     last, which nothing predicts)
   * @param sequences how many sequences
   * @param length tokens in one pass
   */
  public record Result(double firstPass, double secondPass, int sequences, int length) {
    /** How much the repeat's loss is below the first pass's, in nats per token. */
    public double drop() {
      return firstPass - secondPass;
    }
  }

  /**
   * Measures a model on sequences of its ordinary (non-special) tokens.
   *
   * @param model the model and its tokenizer
   * @param sequences how many sequences
   * @param length tokens in one pass; twice this must fit the model's context
   * @param seed the seed of the random tokens
   * @return both passes' losses
   */
  public static Result measure(PretrainedModel model, int sequences, int length, long seed) {
    return measure(ForwardPass.of(model.model()), ordinaryTokens(model.tokenizer()), sequences,
        length, seed);
  }

  /**
   * Measures a forward pass on sequences of ids drawn uniformly from {@code [0, tokenCount)}.
   *
   * @param forward the model (plain or adapted)
   * @param tokenCount ids are drawn below this
   * @param sequences how many sequences
   * @param length tokens in one pass; twice this must fit the model's context
   * @param seed the seed of the random tokens
   * @return both passes' losses
   */
  public static Result measure(
      ForwardPass forward, int tokenCount, int sequences, int length, long seed) {
    int context = forward.base().config().maxPositions();
    if (sequences < 1 || length < 2 || 2 * length > context || tokenCount < 2) {
      throw new IllegalArgumentException(String.format(
          "%d sequences of 2 x %d tokens drawn from %d ids: expected at least 1 sequence, at least"
              + " 2 tokens a pass, both passes within the model's context of %d tokens, and at"
              + " least 2 ids", sequences, length, tokenCount, context));
    }
    SplittableRandom rng = new SplittableRandom(seed);
    long[] ids = new long[sequences * 2 * length];
    long[] labels = new long[ids.length];
    for (int s = 0; s < sequences; s++) {
      int row = s * 2 * length;
      for (int t = 0; t < length; t++) {
        ids[row + t] = rng.nextInt(tokenCount);
        ids[row + length + t] = ids[row + t];
      }
      for (int t = 0; t < 2 * length; t++) {
        // Position t predicts token t + 1; the last position predicts nothing.
        labels[row + t] = t + 1 < 2 * length ? ids[row + t + 1] : TokenCrossEntropy.IGNORE;
      }
    }
    forward.setTraining(false);
    try (NoGrad off = NoGrad.enter();
        NDManager scope = forward.base().manager().newSubManager()) {
      NDArray input = scope.create(ids).reshape(sequences, 2 * length); // (B, 2L)
      NDArray target = scope.create(labels).reshape(sequences, 2 * length); // (B, 2L)
      NDArray logProbs =
          TokenCrossEntropy.labelLogProbs(forward.logits(input, null), target); // (B, 2L)
      // Positions 0..L-2 predict the first pass's tokens 2..L; L..2L-2 the repeat's tokens 2..L.
      double first = -logProbs.get(":, 0:" + (length - 1)).mean().getFloat();
      double second = -logProbs.get(":, " + length + ":" + (2 * length - 1)).mean().getFloat();
      return new Result(first, second, sequences, length);
    }
  }

  /**
   * How many ids come before the first special token: the text's own pieces, the ids a test or a
   * drill draws from.
   *
   * @param tokenizer the tokenizer
   * @return the count of ordinary ids
   */
  public static int ordinaryTokens(TextTokenizer tokenizer) {
    for (int id = 0; id < tokenizer.vocabSize(); id++) {
      if (tokenizer.specialTokens().isSpecial(id)) {
        return id;
      }
    }
    return tokenizer.vocabSize();
  }
}
