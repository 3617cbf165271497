package org.tuninglab.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tuninglab.model.ModelConfig;

/**
 * A pretraining run: the corpus, the tokenizer to train on it, the decoder's shape and how to
 * train. Read from a file by {@link PretrainConfigFile}; run by {@link PretrainRecipe}.
 *
 * @param trainFile the training corpus: UTF-8 text, documents separated by a blank line
 * @param holdoutFile the held-out corpus in the same form, or null for none
 * @param documentSeparator the line that ends each document in both files (for a corpus of chats,
 *     which hold blank lines), or null when a blank line separates documents
 * @param vocabSize the byte-level BPE vocabulary to train on the corpus (special tokens included)
 * @param model the decoder's shape; its vocabulary size is replaced by the trained tokenizer's
 * @param contextLength tokens per packed training sequence (also the model's position limit); a
 *     continued run may change it, since rotary positions have no learned table
 * @param initStd the standard deviation of the initial weights
 * @param copyDrillFraction the share of training sequences that are {@link
 *     org.tuninglab.data.CopyDrill} rows (random segments each shown twice), in [0, 1]; 0 for none;
 *     1 for drills alone, a fresh row for every row trained (a first stage that teaches copying
 *     before the corpus; the corpus still trains the tokenizer and the holdout still measures)
 * @param initFrom a saved model folder to continue (its tokenizer and weights; the configured
 *     shape must be its shape, but for a depth that is a multiple of its, which grows it by {@link
 *     org.tuninglab.model.DepthExpansion} with new layers drawn at {@code initStd}), or null to
 *     start from a new tokenizer and random weights
 * @param trainer optimiser, schedule, batching, evaluation and checkpoints; {@code outputDir}
 *     receives the checkpoints and, in {@code final/}, the model in Hugging Face layout
 */
public record PretrainConfig(
    Path trainFile,
    Path holdoutFile,
    String documentSeparator,
    int vocabSize,
    ModelConfig model,
    int contextLength,
    double initStd,
    double copyDrillFraction,
    Path initFrom,
    TrainerConfig trainer) {
  private static final String LAYERS = "num_layers";

  /** Checks the fields. */
  public PretrainConfig {
    Objects.requireNonNull(trainFile, "trainFile");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(trainer, "trainer");
    if (contextLength < 2) {
      throw new IllegalArgumentException("contextLength must be at least 2, got " + contextLength);
    }
    if (!(initStd > 0)) {
      throw new IllegalArgumentException("initStd must be positive, got " + initStd);
    }
    if (!(copyDrillFraction >= 0 && copyDrillFraction <= 1)) {
      throw new IllegalArgumentException(
          "copyDrillFraction must be in [0, 1], got " + copyDrillFraction);
    }
    if (copyDrillFraction == 1 && trainer.maxSteps() <= 0) {
      throw new IllegalArgumentException(
          "copyDrillFraction 1 (drills alone) makes one row for every row trained, so it needs"
              + " max_steps, got " + trainer.maxSteps());
    }
  }

  /** A shape key whose configured value a saved model cannot continue at. */
  record ShapeMismatch(String key, Object configured, Object saved) {
    /** What the key may be: the saved value, and for the depth also a multiple of it. */
    String allowed() {
      return key.equals(LAYERS)
          ? saved + " or a multiple of it (grown by block expansion)"
          : String.valueOf(saved);
    }
  }

  /**
   * The first shape key on which this run and a saved model disagree, in the config file's key
   * names; a continued run ({@code initFrom}) keeps the saved model's shape, but for its depth,
   * which may grow to a multiple. The context length is not a shape key: it sizes no weight.
   *
   * @param saved the saved model's shape
   * @return the disagreement, or empty when the shapes agree
   */
  Optional<ShapeMismatch> shapeMismatch(ModelConfig saved) {
    List<ShapeMismatch> keys =
        List.of(
            new ShapeMismatch("vocab_size", vocabSize, saved.vocabSize()),
            new ShapeMismatch("hidden_size", model.hiddenSize(), saved.hiddenSize()),
            new ShapeMismatch(
                "intermediate_size", model.intermediateSize(), saved.intermediateSize()),
            new ShapeMismatch(LAYERS, model.numLayers(), saved.numLayers()),
            new ShapeMismatch("num_heads", model.numHeads(), saved.numHeads()),
            new ShapeMismatch("num_kv_heads", model.numKvHeads(), saved.numKvHeads()),
            new ShapeMismatch("rope_theta", model.ropeTheta(), saved.ropeTheta()));
    return keys.stream()
        .filter(k -> !k.configured().equals(k.saved()))
        .filter(k -> !(k.key().equals(LAYERS) && grows(saved)))
        .findFirst();
  }

  /**
   * Whether this run grows a saved model's depth: a multiple of its layer count, new layers
   * inserted after each saved one ({@link org.tuninglab.model.DepthExpansion}).
   */
  boolean grows(ModelConfig saved) {
    return model.numLayers() > saved.numLayers() && model.numLayers() % saved.numLayers() == 0;
  }

  /**
   * Where the trained model is written: {@code outputDir/final}, or null without an output folder.
   */
  public Path finalModelDir() {
    return trainer.outputDir() == null ? null : trainer.outputDir().resolve("final");
  }
}
