package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.data.PreferenceMapping;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.preference.PreferenceLoss;

/**
 * Reads a {@link DpoConfig} from a YAML or JSON file of flat snake_case keys with {@code stage:
 * dpo}, for example:
 *
 * <pre>
 * # ./tuninglab train configs/tuninglab-tiny-dpo-lora.yaml
 * stage: dpo
 * model: ../runs/tuninglab-tiny-full/final   # the SFT model to start from
 * method: lora                                # the reference: the same base, adapters off
 * train_file: ../datasets/preferences/train.jsonl
 * eval_file: ../datasets/preferences/holdout.jsonl
 * loss_type: sigmoid                          # sigmoid (DPO) | ipo | simpo
 * beta: 0.5
 * reference: precomputed                      # live | precomputed
 * lr: 3e-4
 * batch_size: 8
 * max_steps: 30
 * output_dir: ../runs/tuninglab-tiny-dpo-lora
 * </pre>
 *
 * <p>The preference keys: {@code loss_type} ({@code sigmoid}), {@code beta} (0.1, or 2.0 for
 * simpo, TRL's defaults), {@code label_smoothing} (sigmoid only: conservative DPO, in [0, 0.5)),
 * {@code simpo_gamma_ratio} (simpo only, 0.5), {@code reference} ({@code live}; none for simpo),
 * {@code sft_weight} (0; TRL's {@code rpo_alpha}) and {@code sft_adapter} (an SFT adapter merged
 * into {@code model} first). The data keys: {@code train_file}, {@code eval_file} (else a seeded
 * {@code holdout_fraction}, 0.1, of the training file), {@code prompt_field}, {@code chosen_field},
 * {@code rejected_field} (TRL's names by default), {@code system_prompt}, {@code max_length}
 * (1024, per sequence: prompt and one answer) and {@code max_prompt_length} (half of it). The
 * method ({@code lora} by default) and its keys, and the trainer's keys, are those of {@link
 * SftConfigFile}; {@code batch_size} counts pairs.
 *
 * <p>Relative paths are resolved against the config file's folder; {@code model} is a path when
 * such a folder exists or when it starts with a dot (an SFT run's output that a preset names
 * before it is trained), else a Hub name. An unknown, mistyped or misplaced key fails with its
 * name.
 */
public final class DpoConfigFile {
  /** The preference keys, beside the data, method and trainer keys. */
  private static final List<String> PREFERENCE_KEYS =
      List.of(
          "loss_type", "beta", "label_smoothing", "simpo_gamma_ratio", "reference", "sft_weight",
          "sft_adapter");

  /** Every key the file may hold. */
  public static final Set<String> KEYS = keys();

  private final Path file;
  private final ConfigFields f;

  private DpoConfigFile(ConfigFields fields) {
    this.file = fields.file();
    this.f = fields;
  }

  private static Set<String> keys() {
    Set<String> keys =
        new TreeSet<>(
            List.of(
                "stage", "model", "method", "train_file", "eval_file", "prompt_field",
                "chosen_field", "rejected_field", "holdout_fraction", "system_prompt",
                "max_length", "max_prompt_length", "lr", "schedule", "warmup_steps",
                "warmup_ratio", "weight_decay", "adam_beta1", "adam_beta2", "adam_eps",
                "max_grad_norm", "batch_size", "grad_accumulation", "epochs", "max_steps",
                "eval_every", "patience", "checkpoint_every", "keep_checkpoints", "seed",
                "precision", "output_dir", "save_final_model"));
    keys.addAll(PREFERENCE_KEYS);
    keys.addAll(MethodKeys.LORA_KEYS);
    keys.addAll(MethodKeys.PROMPT_KEYS);
    return keys;
  }

  /**
   * Reads a config file ({@code .json}, else YAML).
   *
   * @param file the file
   * @return the config
   * @throws ConfigFormatException if a key is missing, unknown, misplaced or has the wrong type or
   *     range
   * @throws IOException if the file cannot be read or parsed
   */
  public static DpoConfig load(Path file) throws IOException {
    return new DpoConfigFile(ConfigFields.read(file, KEYS)).read();
  }

  private DpoConfig read() throws IOException {
    TrainingStage.check(f, TrainingStage.DPO);
    Path base = file.toAbsolutePath().getParent();
    try {
      PreferenceMapping defaults = PreferenceMapping.DEFAULT;
      Path evalFile = f.path("eval_file", false);
      int maxLength = f.integer("max_length", 1024, 2);
      PreferenceDataConfig data =
          new PreferenceDataConfig(
              f.path("train_file", true),
              evalFile,
              new PreferenceMapping(
                  f.string("prompt_field", defaults.prompt()),
                  f.string("chosen_field", defaults.chosen()),
                  f.string("rejected_field", defaults.rejected())),
              f.number("holdout_fraction", evalFile == null ? 0.1 : 0, 0, 0.99),
              f.string("system_prompt", null),
              maxLength,
              f.integer("max_prompt_length", maxLength / 2, 1));
      Precision precision = f.choice("precision", Precision.class, Precision.FP32);
      TrainerConfig trainer =
          f.trainer(TrainerConfig.builder().build())
              .optPatience(f.integer("patience", 0, 0))
              .optLossScaling(precision == Precision.FP16)
              .build();
      String model = f.required("model");
      Path local = base.resolve(model);
      String modelPath = Files.isDirectory(local) || model.startsWith(".") ? local.normalize().toString() : model;
      MethodSpec method = MethodKeys.read(f, "lora", modelPath, trainer.seed());
      PreferenceLoss loss = loss();
      ReferenceChoice reference = reference(loss);
      Path adapter = f.path("sft_adapter", false);
      if (adapter != null && !Files.isRegularFile(adapter.resolve("adapter_config.json"))) {
        throw new ConfigFormatException(
            file, "sft_adapter",
            adapter + " holds no adapter_config.json; expected an SFT run's adapter folder"
                + " (OUTPUT/adapter)");
      }
      return new DpoConfig(
          modelPath, adapter, method, data, loss, reference,
          f.number("sft_weight", 0, 0, Double.POSITIVE_INFINITY), trainer, precision,
          f.bool("save_final_model", true));
    } catch (IllegalArgumentException e) {
      // A rule across keys (each key's own range is checked as it is read).
      throw new ConfigFormatException(file, "(combination)", e.getMessage());
    }
  }

  private PreferenceLoss loss() throws ConfigFormatException {
    String type = f.string("loss_type", "sigmoid");
    if (!List.of("sigmoid", "ipo", "simpo").contains(type)) {
      throw new ConfigFormatException(
          file, "loss_type", "\"" + type + "\" is not one of [sigmoid, ipo, simpo]");
    }
    onlyFor("label_smoothing", "sigmoid", type);
    onlyFor("simpo_gamma_ratio", "simpo", type);
    double beta = f.number("beta", type.equals("simpo") ? 2.0 : 0.1, 1e-6, 1e6);
    return switch (type) {
      case "sigmoid" -> PreferenceLoss.sigmoid(beta, f.number("label_smoothing", 0, 0, 0.499999));
      case "ipo" -> PreferenceLoss.ipo(beta);
      default -> PreferenceLoss.simpo(beta, f.number("simpo_gamma_ratio", 0.5, 0, 1e6));
    };
  }

  private ReferenceChoice reference(PreferenceLoss loss) throws ConfigFormatException {
    if (!loss.needsReference()) {
      if (f.has("reference")) {
        throw new ConfigFormatException(
            file, "reference", "the " + loss.name() + " loss is reference-free; remove the key");
      }
      return ReferenceChoice.NONE;
    }
    String value = f.string("reference", "live");
    return switch (value) {
      case "live" -> ReferenceChoice.LIVE;
      case "precomputed" -> ReferenceChoice.PRECOMPUTED;
      default ->
          throw new ConfigFormatException(
              file, "reference", "\"" + value + "\" is not one of [live, precomputed]");
    };
  }

  private void onlyFor(String key, String lossType, String type) throws ConfigFormatException {
    if (f.has(key) && !type.equals(lossType)) {
      throw new ConfigFormatException(
          file, key,
          "only read by loss_type " + lossType + "; this config's loss_type is "
              + type.toLowerCase(Locale.ROOT));
    }
  }
}
