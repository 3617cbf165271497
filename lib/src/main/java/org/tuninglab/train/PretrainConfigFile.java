package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.model.Architecture;
import org.tuninglab.model.ModelConfig;

/**
 * Reads a {@link PretrainConfig} from a YAML or JSON file of flat snake_case keys, for example:
 *
 * <pre>
 * # ./tuninglab pretrain configs/tuninglab-tiny-pretrain.yaml
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
 * output_dir: ../runs/tuninglab-tiny-pretrain   # the model goes to output_dir/final
 * </pre>
 *
 * <p>Also: {@code document_separator} (a line that ends each document, for a corpus of chats such
 * as {@code datasets/pretraining}; a blank line by default), {@code rope_theta} (10000), {@code
 * init_std} (0.02), {@code copy_drill_fraction} (0: the share of training sequences that are copy
 * drills, which teach the model to copy from its context), {@code warmup_steps}, {@code
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
    try {
      int heads = f.integer("num_heads", 4, 1);
      int hidden = f.integer("hidden_size", 128, 2);
      if (hidden % heads != 0) {
        throw new ConfigFormatException(
            file,
            "hidden_size",
            "must be a multiple of num_heads (" + heads + "), found " + hidden);
      }
      ModelConfig model =
          ModelConfig.builder()
              .optArchitecture(Architecture.LLAMA)
              .setVocabSize(f.integer("vocab_size", 1024, 260))
              .setHiddenSize(hidden)
              .setIntermediateSize(f.integer("intermediate_size", 3 * hidden, 1))
              .setNumLayers(f.integer("num_layers", 4, 1))
              .setNumHeads(heads)
              .optNumKvHeads(f.integer("num_kv_heads", heads, 1))
              .optRopeTheta(f.number("rope_theta", 10000, 1, Double.POSITIVE_INFINITY))
              .optTieWordEmbeddings(true)
              .build();
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
      return new PretrainConfig(
          f.path("train_file", true),
          f.path("holdout_file", false),
          f.string("document_separator", null),
          model.vocabSize(),
          model,
          f.integer("context_length", 256, 2),
          f.number("init_std", 0.02, 1e-30, 10),
          f.number("copy_drill_fraction", 0, 0, 0.99),
          trainer);
    } catch (IllegalArgumentException e) {
      // A rule across keys (each key's own range is checked as it is read).
      throw new ConfigFormatException(file, "(combination)", e.getMessage());
    }
  }
}
