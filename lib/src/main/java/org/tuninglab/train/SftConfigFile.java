package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.data.FieldMapping;
import org.tuninglab.peft.MethodSpec;

/**
 * Reads an {@link SftConfig} from a YAML or JSON file of flat snake_case keys, for example:
 *
 * <pre>
 * # ./tuninglab train configs/math-full.yaml
 * model: models/tiny            # a folder or a Hub name
 * method: full
 * train_file: data/math.jsonl
 * prompt_field: problem
 * completion_field: solution
 * holdout_fraction: 0.1
 * system_prompt: Solve the following math problem.
 * max_length: 1024
 * lr: 5e-5
 * schedule: linear              # constant | linear | cosine
 * batch_size: 4
 * epochs: 2
 * eval_every: 20
 * output_dir: runs/math-full
 * </pre>
 *
 * <p>With {@code document_separator} (for example {@code "<|endoftext|>"}) the train and eval files
 * are corpora of rendered ChatML chats, as the pretraining mix is, and every assistant turn of
 * every chat is trained ({@link org.tuninglab.data.ChatCorpus}); plain-text documents are skipped.
 *
 * <p>The method's own keys are read by {@link MethodKeys}. An optional {@code stage: sft} says which
 * recipe the file is for ({@link TrainingStage}); a {@code stage: dpo} file is a {@link
 * DpoConfigFile}.
 *
 * <p>Relative paths ({@code train_file}, {@code eval_file}, {@code output_dir}, and {@code model}
 * when such a folder exists) are resolved against the config file's folder, so a Slurm job finds
 * the same files as a notebook. Numbers may be written as strings ({@code "5e-5"}: YAML 1.1 reads
 * {@code 5e-5} as text). An unknown or mistyped key fails with its name.
 */
public final class SftConfigFile {
  /** Every key the file may hold. */
  public static final Set<String> KEYS =
      new TreeSet<>(
          List.of(
              "stage", "model", "method", "train_file", "eval_file", "prompt_field", "completion_field",
              "messages_field", "document_separator", "holdout_fraction", "holdout_field", "holdout_values",
              "system_prompt", "max_length", "lr", "schedule", "warmup_steps", "warmup_ratio",
              "weight_decay", "adam_beta1", "adam_beta2", "adam_eps", "max_grad_norm",
              "batch_size", "grad_accumulation", "epochs", "max_steps", "eval_every", "patience",
              "checkpoint_every", "keep_checkpoints", "seed", "group_by_length", "precision",
              "output_dir", "save_final_model", "lora_r", "lora_alpha", "lora_dropout",
              "lora_targets", "use_rslora", "virtual_tokens", "prompt_init", "prompt_init_text"));

  private final Path file;
  private final ConfigFields f;

  private SftConfigFile(ConfigFields fields) {
    this.file = fields.file();
    this.f = fields;
  }

  /**
   * Reads a config file ({@code .json}, else YAML).
   *
   * @param file the file
   * @return the config
   * @throws ConfigFormatException if a key is missing, unknown or has the wrong type or range
   * @throws IOException if the file cannot be read or parsed
   */
  public static SftConfig load(Path file) throws IOException {
    return new SftConfigFile(ConfigFields.read(file, KEYS)).read();
  }

  private SftConfig read() throws ConfigFormatException {
    Path base = file.toAbsolutePath().getParent();
    FieldMapping defaults = FieldMapping.DEFAULT;
    String evalFile = f.string("eval_file", null);
    String holdoutField = f.string("holdout_field", null);
    try {
      DataConfig data =
          new DataConfig(
              base.resolve(f.required("train_file")),
              evalFile == null ? null : base.resolve(evalFile),
              new FieldMapping(
                  f.string("prompt_field", defaults.prompt()),
                  f.string("completion_field", defaults.completion()),
                  f.string("messages_field", defaults.messages())),
              f.number("holdout_fraction", evalFile == null && holdoutField == null ? 0.1 : 0, 0, 0.99),
              holdoutField,
              f.strings("holdout_values"),
              f.string("system_prompt", null),
              f.integer("max_length", 1024, 2),
              f.string("document_separator", null));
      Precision precision = f.choice("precision", Precision.class, Precision.FP32);
      if (precision == Precision.BF16) {
        throw new ConfigFormatException(file, "precision", MixedPrecision.BF16_BLOCKED);
      }
      TrainerConfig trainer =
          f.trainer(TrainerConfig.builder().build()) // the builder's defaults
              .optPatience(f.integer("patience", 0, 0))
              .optGroupByLength(f.bool("group_by_length", false))
              .optLossScaling(precision == Precision.FP16)
              .build();
      TrainingStage.check(f, TrainingStage.SFT);
      String model = f.required("model");
      String modelPath = Files.isDirectory(base.resolve(model)) ? base.resolve(model).toString() : model;
      MethodSpec spec = MethodKeys.read(f, "full", modelPath, trainer.seed());
      return new SftConfig(
          modelPath, spec, data, trainer, precision, f.bool("save_final_model", true));
    } catch (IllegalArgumentException e) {
      // A rule across keys (each key's own range is checked as it is read).
      throw new ConfigFormatException(file, "(combination)", e.getMessage());
    }
  }
}
