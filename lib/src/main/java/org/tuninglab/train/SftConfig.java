package org.tuninglab.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Objects;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.PromptTuningConfig;

/**
 * Everything a supervised fine-tuning run needs; the notebook, the CLI and a Slurm job share it
 * (see {@link SftConfigFile} for the file form).
 *
 * @param model a model folder in Hugging Face layout, or a Hub name
 * @param method how weights are updated, with its settings: a full fine-tune (every weight trains),
 *     LoRA, QLoRA (LoRA on an NF4 base) or prompt tuning
 * @param data the examples
 * @param trainer optimizer, schedule, batching, evaluation and checkpoints; its output folder
 *     receives checkpoints and what was trained
 * @param precision the weights' dtype while training
 * @param saveFinalModel whether to write what was trained at the end: the model to {@code
 *     OUTPUT/final} in Hugging Face layout (full), or the adapter to {@code OUTPUT/adapter} in
 *     PEFT's format (lora, qlora, prompt)
 */
public record SftConfig(
    String model,
    MethodSpec method,
    DataConfig data,
    TrainerConfig trainer,
    Precision precision,
    boolean saveFinalModel) {

  /** Checks that every part is given. */
  public SftConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(precision, "precision");
  }

  /**
   * This run writing its checkpoints and result to another folder; a notebook gives each run a
   * fresh one, since a folder holding a checkpoint resumes from it.
   *
   * @param dir the output folder
   * @return the copy
   */
  public SftConfig withOutputDir(Path dir) {
    return new SftConfig(model, method, data, trainer.withOutputDir(dir), precision, saveFinalModel);
  }

  /** LoRA's settings for lora and qlora; null for the other methods (recorded with a run). */
  @JsonProperty("lora")
  public LoraConfig lora() {
    if (method instanceof MethodSpec.Lora l) {
      return l.config();
    }
    return method instanceof MethodSpec.QLora q ? q.config() : null;
  }

  /** The virtual tokens' settings for prompt tuning; null for the other methods (recorded). */
  @JsonProperty("prompt")
  public PromptTuningConfig prompt() {
    return method instanceof MethodSpec.PromptTuning p ? p.config() : null;
  }

  /** A full fine-tune, which needs no method settings. */
  public static SftConfig full(
      String model, DataConfig data, TrainerConfig trainer, Precision precision, boolean saveFinalModel) {
    return new SftConfig(model, MethodSpec.full(), data, trainer, precision, saveFinalModel);
  }
}
