package org.tuninglab.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a supervised fine-tuning run needs; the notebook, the CLI and a Slurm job share it
 * (see {@link SftConfigFile} for the file form).
 *
 * @param model a model folder in Hugging Face layout, or a Hub name
 * @param method how weights are updated: {@code "full"} (every weight trains)
 * @param data the examples
 * @param trainer optimizer, schedule, batching, evaluation and checkpoints; its output folder
 *     receives checkpoints and the final model
 * @param precision the weights' dtype while training
 * @param saveFinalModel whether to write the trained model to {@code OUTPUT/final} in Hugging Face
 *     layout
 */
public record SftConfig(
    String model,
    String method,
    DataConfig data,
    TrainerConfig trainer,
    Precision precision,
    boolean saveFinalModel) {

  /** The fine-tuning methods this recipe knows. */
  public static final Set<String> METHODS = Set.of("full");

  /** Checks the method. */
  public SftConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(precision, "precision");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("method \"" + method + "\" is not one of " + METHODS);
    }
  }
}
