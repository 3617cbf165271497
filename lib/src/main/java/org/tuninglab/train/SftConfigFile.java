package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.data.FieldMapping;
import org.tuninglab.model.LlamaWeights;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;

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
 * <p>The method's own keys: for {@code lora} and {@code qlora}, {@code lora_r} (8), {@code
 * lora_alpha} (2 r, {@link LoraConfig.Builder}'s default), {@code lora_dropout} (0.05), {@code lora_targets} (a list or a comma-separated
 * string; {@code [q_proj, v_proj]}) and {@code use_rslora} (false); for {@code prompt}, {@code
 * virtual_tokens} (20), {@code prompt_init} ({@code text} when {@code prompt_init_text} is given,
 * else {@code random}; or {@code sample_vocab}) and {@code prompt_init_text}. A method's key in a
 * config of another method is an error rather than silently ignored.
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
              "model", "method", "train_file", "eval_file", "prompt_field", "completion_field",
              "messages_field", "holdout_fraction", "holdout_field", "holdout_values",
              "system_prompt", "max_length", "lr", "schedule", "warmup_steps", "warmup_ratio",
              "weight_decay", "adam_beta1", "adam_beta2", "adam_eps", "max_grad_norm",
              "batch_size", "grad_accumulation", "epochs", "max_steps", "eval_every", "patience",
              "checkpoint_every", "keep_checkpoints", "seed", "group_by_length", "precision",
              "output_dir", "save_final_model", "lora_r", "lora_alpha", "lora_dropout",
              "lora_targets", "use_rslora", "virtual_tokens", "prompt_init", "prompt_init_text"));

  /** Keys that only the LoRA methods (lora, qlora) read. */
  private static final List<String> LORA_KEYS =
      List.of("lora_r", "lora_alpha", "lora_dropout", "lora_targets", "use_rslora");

  /** Keys that only prompt tuning reads. */
  private static final List<String> PROMPT_KEYS =
      List.of("virtual_tokens", "prompt_init", "prompt_init_text");

  /** What users write in lora_targets: q_proj, k_proj, ... */
  private static final List<String> PROJECTION_NAMES =
      Arrays.stream(LlamaWeights.PROJECTIONS).map(p -> p.substring(p.lastIndexOf('.') + 1)).toList();

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
              f.integer("max_length", 1024, 2));
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
      String method = f.string("method", "full");
      if (!MethodSpec.NAMES.contains(method)) {
        throw new ConfigFormatException(
            file, "method", "\"" + method + "\" is not one of " + MethodSpec.NAMES);
      }
      String model = f.required("model");
      String modelPath = Files.isDirectory(base.resolve(model)) ? base.resolve(model).toString() : model;
      rejectUnless(MethodSpec.usesLora(method), LORA_KEYS, method, "lora or qlora");
      rejectUnless(MethodSpec.usesPrompt(method), PROMPT_KEYS, method, "prompt");
      MethodSpec spec =
          MethodSpec.parse(
              method,
              MethodSpec.usesLora(method) ? lora(trainer.seed()) : null,
              MethodSpec.usesPrompt(method) ? prompt(modelPath, trainer.seed()) : null);
      return new SftConfig(
          modelPath, spec, data, trainer, precision, f.bool("save_final_model", true));
    } catch (IllegalArgumentException e) {
      // A rule across keys (each key's own range is checked as it is read).
      throw new ConfigFormatException(file, "(combination)", e.getMessage());
    }
  }

  private LoraConfig lora(long seed) throws ConfigFormatException {
    List<String> targets = f.names("lora_targets", List.of("q_proj", "v_proj"));
    for (String target : targets) {
      if (!target.equals(LoraConfig.ALL_LINEAR) && !isProjection(target)) {
        throw new ConfigFormatException(
            file, "lora_targets",
            "\"" + target + "\" is not a projection of a Llama-family decoder; expected names from "
                + PROJECTION_NAMES + " or \"" + LoraConfig.ALL_LINEAR + "\"");
      }
    }
    LoraConfig.Builder b =
        LoraConfig.builder()
            .setR(f.integer("lora_r", 8, 1))
            .optDropout(f.number("lora_dropout", 0.05, 0, 0.999))
            .setTargetModules(targets)
            .optUseRslora(f.bool("use_rslora", false))
            .optSeed(seed);
    if (f.has("lora_alpha")) { // else the builder's default, 2 r
      b.optAlpha(f.number("lora_alpha", 0, 1e-30, Double.POSITIVE_INFINITY));
    }
    return b.build();
  }

  /** A target matches a projection's module name (q_proj) or a longer path ending in one. */
  private static boolean isProjection(String target) {
    for (String projection : LlamaWeights.PROJECTIONS) {
      if (projection.equals(target)
          || projection.endsWith("." + target)
          || target.endsWith("." + projection)) {
        return true;
      }
    }
    return false;
  }

  private PromptTuningConfig prompt(String tokenizer, long seed) throws ConfigFormatException {
    String text = f.string("prompt_init_text", null);
    PromptInit init = f.choice("prompt_init", PromptInit.class, text == null ? PromptInit.RANDOM : PromptInit.TEXT);
    if (init == PromptInit.TEXT && (text == null || text.isEmpty())) {
      throw new ConfigFormatException(
          file, "prompt_init_text", "missing; prompt_init text starts from this text's tokens");
    }
    if (init != PromptInit.TEXT && text != null) {
      throw new ConfigFormatException(
          file, "prompt_init_text", "only read with prompt_init: text, not " + init.name().toLowerCase(Locale.ROOT));
    }
    return new PromptTuningConfig(f.integer("virtual_tokens", 20, 1), init, text, tokenizer, seed);
  }

  private void rejectUnless(boolean applies, List<String> keys, String method, String methods)
      throws ConfigFormatException {
    for (String key : keys) {
      if (!applies && f.has(key)) {
        throw new ConfigFormatException(
            file, key, "only read by method " + methods + "; this config's method is " + method);
      }
    }
  }
}
