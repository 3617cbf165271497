package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import org.tuninglab.data.PreferenceBatch;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.AdaptersDisabled;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.score.NoGrad;

/**
 * The model a preference loss measures the policy's drift against: the policy as it was before
 * preference training. Scoring never records gradients.
 *
 * <p>{@link #of(AdaptedModel)} picks the cheapest faithful one: for LoRA and QLoRA the same base
 * with its adapters disabled (no second copy; the adapters must start at zero, as fresh ones do,
 * or the reference is the base rather than the starting policy); for prompt tuning the decoder
 * without the virtual tokens; for full fine-tuning a frozen copy of the weights, made now.
 */
public interface ReferenceModel extends AutoCloseable {

  /**
   * The reference's logits, without gradient.
   *
   * @param inputIds {@code (N, T)} token ids
   * @param attentionMask {@code (N, T)}, 1 for real tokens, 0 for padding
   * @return {@code (N, T, V)} logits
   */
  NDArray logits(NDArray inputIds, NDArray attentionMask);

  /** How the reference is held, for reports: for example "LoRA base, adapters disabled". */
  String describe();

  /** Frees what the reference holds of its own (a frozen copy); nothing otherwise. */
  @Override
  default void close() {}

  /**
   * Scores a preference batch's rows under the reference.
   *
   * @param batch the batch
   * @return per-row summed answer log-probabilities, without gradient
   */
  default SequenceScores score(PreferenceBatch batch) {
    try (NoGrad off = NoGrad.enter()) {
      return SequenceLogProbs.of(
          logits(batch.rows().inputIds(), batch.rows().attentionMask()), batch.rows().labels());
    }
  }

  /**
   * The reference for a policy about to be trained.
   *
   * @param policy the policy, before its first preference step
   * @return the reference
   * @throws IOException if a frozen copy cannot be made
   */
  static ReferenceModel of(AdaptedModel policy) throws IOException {
    if (policy instanceof LoraModel lora) {
      return adaptersDisabled(lora);
    }
    if (policy instanceof QloraModel qlora) {
      return adaptersDisabled(qlora.lora());
    }
    if (policy instanceof PromptTuningModel prompt) {
      return decoder(prompt.base(), "decoder without the virtual tokens");
    }
    if (policy instanceof FullFineTune full) {
      return FrozenCopy.of(full.base());
    }
    throw new IllegalArgumentException(
        "no reference model for " + policy.method().name() + " (" + policy.getClass().getName() + ")");
  }

  /**
   * The LoRA model's base, run with the adapters switched off for each pass.
   *
   * @param lora the policy's adapters
   * @return the reference
   */
  static ReferenceModel adaptersDisabled(LoraModel lora) {
    return new ReferenceModel() {
      @Override
      public NDArray logits(NDArray inputIds, NDArray attentionMask) {
        try (NoGrad off = NoGrad.enter();
            AdaptersDisabled base = lora.adaptersDisabled()) {
          return lora.logits(inputIds, attentionMask);
        }
      }

      @Override
      public String describe() {
        return lora.method().name() + " base, adapters disabled";
      }
    };
  }

  /**
   * A decoder's plain forward pass, for a policy that leaves the decoder's weights alone.
   *
   * @param model the decoder
   * @param description how the reference is held
   * @return the reference
   */
  static ReferenceModel decoder(LlamaModel model, String description) {
    return new ReferenceModel() {
      @Override
      public NDArray logits(NDArray inputIds, NDArray attentionMask) {
        try (NoGrad off = NoGrad.enter()) {
          return model.forward(inputIds, attentionMask, null);
        }
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }
}
