package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.model.Architecture;
import org.tuninglab.model.ModelConfig;

/**
 * Reads a {@link PretrainConfig} from a YAML or JSON file of flat snake_case keys, for example:
 *
 * <pre>
 * # ./tuninglab pretrain configs/tuninglab-stories-pretrain.yaml
 * train_file: ../datasets/stories/train.txt
 * holdout_file: ../datasets/stories/holdout.txt
 * vocab_size: 1024              # byte-level BPE trained on train_file
 * hidden_size: 128
 * intermediate_size: 384
 * num_layers: 4
 * num_heads: 4
 * num_kv_heads: 2               # grouped-query attention
 * context_length: 256
 * lr: 3e-3
 * schedule: cosine
 * batch_size: 16
 * max_steps: 1000
 * output_dir: ../runs/tuninglab-stories-pretrain   # the model goes to output_dir/final
 * </pre>
 *
 * <p>Also: {@code document_separator} (a line that ends each document, for a corpus of chats such
 * as {@code datasets/pretraining}; a blank line by default), {@code rope_theta} (10000), {@code
 * init_std} (0.02), {@code copy_drill_fraction} (0: the share of training sequences that are copy
 * drills, which teach the model to copy from its context; 1 for drills alone), {@code init_from}
 * (a saved model folder to continue, tokenizer and weights: its shape is the default of every shape
 * key, and a shape key that differs is refused; {@code context_length} may differ, since rotary
 * positions have no learned table, and {@code num_layers} may be a multiple of the model's, which
 * grows it by block expansion with new layers drawn at {@code init_std}), {@code warmup_steps}, {@code
 * warmup_ratio}, {@code weight_decay} (0.1), {@code adam_beta1}, {@code adam_beta2}, {@code
 * adam_eps}, {@code max_grad_norm} (1.0), {@code grad_accumulation}, {@code epochs} (used when
 * max_steps is 0), {@code eval_every}, {@code checkpoint_every}, {@code keep_checkpoints}, {@code
 * seed} (42). Relative paths resolve against the config file's folder.
 */
public final class PretrainConfigFile {
  /** Every key the file may hold. */
  public static final Set<String> KEYS =
      new TreeSet<>(
          List.of(
              "train_file",
              "holdout_file",
              "document_separator",
              "vocab_size",
              "hidden_size",
              "intermediate_size",
              "num_layers",
              "num_heads",
              "num_kv_heads",
              "rope_theta",
              "context_length",
              "init_std",
              "copy_drill_fraction",
              "init_from",
              "lr",
              "schedule",
              "warmup_steps",
              "warmup_ratio",
              "weight_decay",
              "adam_beta1",
              "adam_beta2",
              "adam_eps",
              "max_grad_norm",
              "batch_size",
              "grad_accumulation",
              "epochs",
              "max_steps",
              "eval_every",
              "checkpoint_every",
              "keep_checkpoints",
              "seed",
              "output_dir"));

  private PretrainConfigFile() {}

  /**
   * Reads a config file ({@code .json}, else YAML).
   *
   * @param file the file
   * @return the config
   * @throws ConfigFormatException if a key is missing, unknown or has the wrong type or range
   * @throws IOException if the file cannot be read or parsed
   */
  public static PretrainConfig load(Path file) throws IOException {
    ConfigFields f = ConfigFields.read(file, KEYS);
    Path initFrom = f.path("init_from", false);
    ModelConfig saved = initFrom == null ? null : savedShape(f, initFrom);
    try {
      int heads = f.integer("num_heads", saved == null ? 4 : saved.numHeads(), 1);
      int hidden = f.integer("hidden_size", saved == null ? 128 : saved.hiddenSize(), 2);
      if (hidden % heads != 0) {
        throw new ConfigFormatException(
            file,
            "hidden_size",
            "must be a multiple of num_heads (" + heads + "), found " + hidden);
      }
      ModelConfig model =
          ModelConfig.builder()
              .optArchitecture(Architecture.LLAMA)
              .setVocabSize(f.integer("vocab_size", saved == null ? 1024 : saved.vocabSize(), 260))
              .setHiddenSize(hidden)
              .setIntermediateSize(
                  f.integer(
                      "intermediate_size", saved == null ? 3 * hidden : saved.intermediateSize(), 1))
              .setNumLayers(f.integer("num_layers", saved == null ? 4 : saved.numLayers(), 1))
              .setNumHeads(heads)
              .optNumKvHeads(f.integer("num_kv_heads", saved == null ? heads : saved.numKvHeads(), 1))
              .optRopeTheta(
                  f.number(
                      "rope_theta",
                      saved == null ? 10000 : saved.ropeTheta(),
                      1,
                      Double.POSITIVE_INFINITY))
              .optTieWordEmbeddings(true)
              .build();
      int context = f.integer("context_length", saved == null ? 256 : saved.maxPositions(), 2);
      TrainerConfig trainer =
          f.trainer(
                  TrainerConfig.builder()
                      .optLr(1e-3)
                      .optSchedule(ScheduleKind.COSINE)
                      .optBatchSize(16)
                      .optAdamW(
                          new AdamWConfig(
                              AdamWConfig.DEFAULT.beta1(),
                              AdamWConfig.DEFAULT.beta2(),
                              AdamWConfig.DEFAULT.eps(),
                              0.1))
                      .build())
              .build();
      PretrainConfig config =
          new PretrainConfig(
              f.path("train_file", true),
              f.path("holdout_file", false),
              f.string("document_separator", null),
              model.vocabSize(),
              model,
              context,
              f.number("init_std", 0.02, 1e-30, 10),
              f.number("copy_drill_fraction", 0, 0, 1),
              initFrom,
              trainer);
      if (saved != null) {
        requireSavedShape(f, config, saved);
      }
      return config;
    } catch (IllegalArgumentException e) {
      // A rule across keys (each key's own range is checked as it is read).
      throw new ConfigFormatException(file, "(combination)", e.getMessage());
    }
  }

  /** The shape of the model {@code init_from} names, or an error naming that key. */
  private static ModelConfig savedShape(ConfigFields f, Path dir) throws ConfigFormatException {
    try {
      return ModelConfig.load(dir);
    } catch (IOException e) {
      throw new ConfigFormatException(
          f.file(), "init_from", "expected a saved model folder with config.json: " + e.getMessage());
    }
  }

  /** A continued run keeps the model's shape; a shape key that says otherwise is a mistake. */
  private static void requireSavedShape(ConfigFields f, PretrainConfig config, ModelConfig saved)
      throws ConfigFormatException {
    if (f.has("init_std") && !config.grows(saved)) {
      throw new ConfigFormatException(
          f.file(), "init_std", "has no effect with init_from (the weights are the saved model's)"
              + " unless num_layers grows the model");
    }
    Optional<PretrainConfig.ShapeMismatch> mismatch = config.shapeMismatch(saved);
    if (mismatch.isPresent()) {
      PretrainConfig.ShapeMismatch k = mismatch.get();
      throw new ConfigFormatException(
          f.file(),
          k.key(),
          "must be the init_from model's " + k.allowed() + ", found " + k.configured()
              + "; leave it out to keep the model's");
    }
  }
}
