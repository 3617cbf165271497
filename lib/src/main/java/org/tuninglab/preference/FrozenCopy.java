package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.Map;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelFormatException;
import org.tuninglab.score.NoGrad;

/**
 * A frozen copy of a decoder's weights as they are now: the reference model of full fine-tuning,
 * where training changes every weight. It costs a second copy of the model in memory; precomputed
 * reference log-probabilities ({@link ReferenceLogProbs}) free it after one pass over the data.
 */
public final class FrozenCopy implements ReferenceModel {
  private final LlamaModel copy;
  private final ReferenceModel forward;

  private FrozenCopy(LlamaModel copy) {
    this.copy = copy;
    this.forward = ReferenceModel.decoder(copy, "frozen copy of the full model");
  }

  /**
   * Copies a decoder's weights into a new model on the same device and in the same dtype.
   *
   * @param model the model to copy
   * @return the frozen copy; close it to free the weights
   * @throws IOException if the copy cannot be built
   */
  public static FrozenCopy of(LlamaModel model) throws IOException {
    Map<String, NDArray> weights = model.namedArrays();
    LlamaModel copy =
        LlamaModel.create(
            model.config(),
            (name, shape) -> {
              NDArray w = weights.get(name);
              if (w == null) {
                throw new ModelFormatException("the model to copy has no tensor '" + name + "'");
              }
              try (NoGrad off = NoGrad.enter();
                  NDArray f = w.toType(DataType.FLOAT32, true)) {
                return f.toFloatArray();
              }
            },
            model.device(),
            model.dtype());
    return new FrozenCopy(copy);
  }

  /** The copied decoder. */
  public LlamaModel model() {
    return copy;
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask) {
    return forward.logits(inputIds, attentionMask);
  }

  @Override
  public String describe() {
    return forward.describe();
  }

  @Override
  public void close() {
    copy.close();
  }
}
