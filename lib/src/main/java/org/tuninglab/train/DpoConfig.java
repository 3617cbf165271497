package org.tuninglab.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Objects;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.preference.PreferenceLoss;

/**
 * Everything a preference-optimisation run (DPO, IPO, SimPO) needs; the notebook, the CLI and a
 * Slurm job share it (see {@link DpoConfigFile} for the file form).
 *
 * @param model the model to start from: an SFT model folder in Hugging Face layout (or the base
 *     model, or a Hub name)
 * @param sftAdapter an SFT adapter (PEFT's format) merged into {@code model} before preference
 *     training, so the policy and its reference both start from the SFT model; null for none
 * @param method what trains: LoRA (the reference is the same base with the adapters off), QLoRA,
 *     prompt tuning, or every weight (the reference is a frozen copy)
 * @param data the preference pairs
 * @param loss the preference loss and its beta
 * @param reference how the reference's log-probabilities are had: scored at each step, or
 *     precomputed once ({@link ReferenceChoice#NONE} exactly when the loss is reference-free)
 * @param sftWeight the weight of the chosen answers' cross-entropy added to the loss (TRL's {@code
 *     rpo_alpha}); 0 for pure preference optimisation
 * @param trainer optimizer, schedule, batching (in pairs), evaluation and checkpoints
 * @param precision the weights' dtype while training
 * @param saveFinalModel whether to write what was trained: the adapter to {@code OUTPUT/adapter}
 *     (lora, qlora, prompt) or the model to {@code OUTPUT/final} (full)
 */
public record DpoConfig(
    String model,
    Path sftAdapter,
    MethodSpec method,
    PreferenceDataConfig data,
    PreferenceLoss loss,
    ReferenceChoice reference,
    double sftWeight,
    TrainerConfig trainer,
    Precision precision,
    boolean saveFinalModel) {

  /** Checks that every part is given and that the reference fits the loss. */
  public DpoConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(precision, "precision");
    if (loss.needsReference() == (reference == ReferenceChoice.NONE)) {
      throw new IllegalArgumentException(
          "the " + loss.name() + " loss " + (loss.needsReference() ? "needs" : "uses no")
              + " reference model; reference " + reference.name().toLowerCase(java.util.Locale.ROOT)
              + " does not fit it");
    }
    if (!(sftWeight >= 0)) {
      throw new IllegalArgumentException("sft_weight must be >= 0, got " + sftWeight);
    }
  }

  /**
   * This run writing its checkpoints and result to another folder; a folder holding a checkpoint
   * resumes from it.
   *
   * @param dir the output folder
   * @return the copy
   */
  public DpoConfig withOutputDir(Path dir) {
    return new DpoConfig(
        model, sftAdapter, method, data, loss, reference, sftWeight, trainer.withOutputDir(dir),
        precision, saveFinalModel);
  }

  /** The same run with another loss (its reference choice kept). */
  public DpoConfig withLoss(PreferenceLoss value) {
    return new DpoConfig(
        model, sftAdapter, method, data, value, reference, sftWeight, trainer, precision,
        saveFinalModel);
  }

  /** LoRA's settings for lora and qlora; null for the other methods (recorded with a run). */
  @JsonProperty("lora")
  public LoraConfig lora() {
    if (method instanceof MethodSpec.Lora l) {
      return l.config();
    }
    return method instanceof MethodSpec.QLora q ? q.config() : null;
  }
}
