package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.NamedArray;

/**
 * A model prepared for one fine-tuning method: what a trainer needs and nothing more.
 *
 * <p>Run each step inside a sub-manager of {@code base().manager()}; intermediate arrays belong to
 * the manager of the input ids.
 */
public interface AdaptedModel extends AutoCloseable {

  /**
   * Logits aligned with the input positions.
   *
   * @param inputIds {@code (B, T)} token ids
   * @param attentionMask {@code (B, T)}: 1 for real tokens, 0 for padding; null when unpadded
   * @return {@code (B, T, V)} float32 logits; position t predicts token t + 1
   */
  NDArray logits(NDArray inputIds, NDArray attentionMask);

  /** The arrays an optimiser updates, with gradients attached, by their PEFT-style names. */
  List<NamedArray> trainableArrays();

  /** The underlying decoder (its frozen arrays, its manager). */
  LlamaModel base();

  /** Training mode turns dropout on; evaluation (the default) turns it off. */
  void setTraining(boolean training);

  /** The method and its settings, for reports. */
  MethodSpec method();

  /** Releases the arrays this method added; the base model stays open. */
  @Override
  void close();
}
