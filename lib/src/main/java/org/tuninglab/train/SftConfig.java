package org.tuninglab.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.PromptTuningConfig;

/**
 * Everything a supervised fine-tuning run needs; the notebook, the CLI and a Slurm job share it
 * (see {@link SftConfigFile} for the file form).
 *
 * @param model a model folder in Hugging Face layout, or a Hub name
 * @param method how weights are updated: {@code "full"} (every weight trains), {@code "lora"},
 *     {@code "qlora"} (LoRA on an NF4 base) or {@code "prompt"} (prompt tuning)
 * @param data the examples
 * @param trainer optimizer, schedule, batching, evaluation and checkpoints; its output folder
 *     receives checkpoints and what was trained
 * @param precision the weights' dtype while training
 * @param saveFinalModel whether to write what was trained at the end: the model to {@code
 *     OUTPUT/final} in Hugging Face layout (full), or the adapter to {@code OUTPUT/adapter} in
 *     PEFT's format (lora, qlora, prompt)
 * @param lora the adapters' settings for lora and qlora; null for the other methods
 * @param prompt the virtual tokens' settings for prompt; null for the other methods
 */
public record SftConfig(
    String model,
    String method,
    DataConfig data,
    TrainerConfig trainer,
    Precision precision,
    boolean saveFinalModel,
    LoraConfig lora,
    PromptTuningConfig prompt) {

  /** The fine-tuning methods this recipe knows. */
  public static final List<String> METHODS = List.of("full", "lora", "qlora", "prompt");

  /** Checks the method and that its settings are given. */
  public SftConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(precision, "precision");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("method \"" + method + "\" is not one of " + METHODS);
    }
    if (usesLora(method) && lora == null) {
      throw new IllegalArgumentException("method " + method + " needs a LoraConfig");
    }
    if (method.equals("prompt") && prompt == null) {
      throw new IllegalArgumentException("method prompt needs a PromptTuningConfig");
    }
  }

  /**
   * This run writing its checkpoints and result to another folder; a notebook gives each run a
   * fresh one, since a folder holding a checkpoint resumes from it.
   *
   * @param dir the output folder
   * @return the copy
   */
  public SftConfig withOutputDir(Path dir) {
    return new SftConfig(model, method, data, trainer.withOutputDir(dir), precision, saveFinalModel,
        lora, prompt);
  }

  /** A full fine-tune, which needs no method settings. */
  public static SftConfig full(
      String model, DataConfig data, TrainerConfig trainer, Precision precision, boolean saveFinalModel) {
    return new SftConfig(model, "full", data, trainer, precision, saveFinalModel, null, null);
  }

  static boolean usesLora(String method) {
    return method.equals("lora") || method.equals("qlora");
  }
}
