package org.tuninglab.bench;

import java.util.List;
import java.util.Set;
import org.tuninglab.model.ModelConfig;

/**
 * The matmul FLOPs of one training step of the Llama decoder on one sequence, split into the
 * forward pass, the gradients with respect to activations and the gradients with respect to
 * weights: the work a full fine-tune and LoRA share and the work LoRA skips.
 *
 * <p>Counted: every linear layer including the output head (forward {@code 2 in out} a token; an
 * input or weight gradient the same), the attention score and value matmuls over the whole
 * {@code T x T} square the kernels compute despite the causal mask, and LoRA's {@code x A^T} and
 * {@code h B^T}. A gradient is counted only where autograd computes it: with respect to a tensor
 * that depends on something trainable. So LoRA, whose lowest trainable tensors are the first
 * block's adapters, also skips the first block's projection input gradients and the attention
 * gradients of its frozen operands. Not counted: norms, rotary embedding, softmax, SwiGLU, the
 * loss and the optimizer's update, elementwise work that is small on a matmul-bound machine and
 * adds only to the full fine-tune's step.
 *
 * @param forward the forward pass
 * @param inputGradients gradients with respect to activations
 * @param weightGradients gradients with respect to trainable weights
 */
public record StepFlops(long forward, long inputGradients, long weightGradients) {
  /** The projections LoRA can adapt, by their Hugging Face names. */
  public static final List<String> PROJECTIONS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  /** All three parts. */
  public long total() {
    return forward + inputGradients + weightGradients;
  }

  /**
   * A full fine-tune: every weight trains.
   *
   * @param c the model
   * @param seqLen tokens in the sequence
   */
  public static StepFlops fullFineTune(ModelConfig c, int seqLen) {
    return count(c, seqLen, 0, Set.of());
  }

  /**
   * LoRA of rank {@code rank} on {@code targets} of every block, everything else frozen.
   *
   * @param c the model
   * @param seqLen tokens in the sequence
   * @param rank the adapters' r
   * @param targets names from {@link #PROJECTIONS}, at least one
   * @throws IllegalArgumentException for an unknown or empty target set or a rank below 1
   */
  public static StepFlops lora(ModelConfig c, int seqLen, int rank, Set<String> targets) {
    if (rank < 1 || targets.isEmpty() || !PROJECTIONS.containsAll(targets)) {
      throw new IllegalArgumentException(
          "LoRA needs a rank >= 1 (got " + rank + ") and targets among " + PROJECTIONS + " (got "
              + targets + ")");
    }
    return count(c, seqLen, rank, targets);
  }

  /**
   * LoRA's matmul work a step over a full fine-tune's: what their step-time ratio tends to where
   * the matmuls dominate the step.
   */
  public static double loraFloor(ModelConfig c, int seqLen, int rank, Set<String> targets) {
    return (double) lora(c, seqLen, rank, targets).total() / fullFineTune(c, seqLen).total();
  }

  /** Rank 0 means a full fine-tune. */
  private static StepFlops count(ModelConfig c, int seqLen, int rank, Set<String> targets) {
    Tally t = new Tally(seqLen, rank, targets);
    int d = c.hiddenSize();
    int qWidth = c.numHeads() * c.headDim();
    int kvWidth = c.numKvHeads() * c.headDim();
    int ffn = c.intermediateSize();
    // Whether the current residual stream depends on something trainable: the embedding when it
    // trains, and otherwise nothing below the first block.
    boolean grad = rank == 0;
    for (int layer = 0; layer < c.numLayers(); layer++) {
      boolean q = t.linear("q_proj", d, qWidth, grad);
      boolean k = t.linear("k_proj", d, kvWidth, grad);
      boolean v = t.linear("v_proj", d, kvWidth, grad);
      // (B, heads, T, headDim) x (B, heads, headDim, T): the kv heads are repeated to all heads
      boolean scores = t.product((long) c.numHeads() * seqLen * seqLen * c.headDim(), q, k);
      boolean context = t.product((long) c.numHeads() * seqLen * seqLen * c.headDim(), scores, v);
      grad |= t.linear("o_proj", qWidth, d, context);
      boolean gate = t.linear("gate_proj", d, ffn, grad);
      boolean up = t.linear("up_proj", d, ffn, grad);
      grad |= t.linear("down_proj", ffn, d, gate || up);
    }
    t.linear("lm_head", d, c.vocabSize(), grad);
    return new StepFlops(t.forward, t.inputGradients, t.weightGradients);
  }

  /** Adds up one step's matmuls as the forward pass meets them. */
  private static final class Tally {
    private final long tokens;
    private final int rank;
    private final Set<String> targets;
    private long forward;
    private long inputGradients;
    private long weightGradients;

    Tally(int tokens, int rank, Set<String> targets) {
      this.tokens = tokens;
      this.rank = rank;
      this.targets = targets;
    }

    /**
     * A linear layer {@code in -> out} (with its adapter when it is a target); returns whether
     * its output depends on something trainable.
     */
    boolean linear(String name, int in, int out, boolean inputNeedsGrad) {
      long matmul = 2 * tokens * in * out;
      forward += matmul;
      if (inputNeedsGrad) {
        inputGradients += matmul;
      }
      if (rank == 0) {
        weightGradients += matmul;
        return true;
      }
      if (!targets.contains(name)) {
        return inputNeedsGrad;
      }
      long down = 2 * tokens * in * rank; // x A^T
      long up = 2 * tokens * rank * out; // (x A^T) B^T
      forward += down + up;
      weightGradients += down + up;
      inputGradients += up + (inputNeedsGrad ? down : 0); // the r-wide intermediate depends on A
      return true;
    }

    /**
     * A product of two activations of {@code macs} multiply-adds; returns whether it depends on
     * something trainable.
     */
    boolean product(long macs, boolean leftNeedsGrad, boolean rightNeedsGrad) {
      forward += 2 * macs;
      inputGradients += (leftNeedsGrad ? 2 * macs : 0) + (rightNeedsGrad ? 2 * macs : 0);
      return leftNeedsGrad || rightNeedsGrad;
    }
  }
}
