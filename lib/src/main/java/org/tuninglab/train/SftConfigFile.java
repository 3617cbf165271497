package org.tuninglab.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.data.FieldMapping;
import org.tuninglab.model.LlamaWeights;
import org.tuninglab.peft.LoraConfig;
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
 * lora_alpha} (16), {@code lora_dropout} (0.05), {@code lora_targets} (a list or a comma-separated
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
  private final ObjectNode root;

  private SftConfigFile(Path file, ObjectNode root) {
    this.file = file;
    this.root = root;
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
    ObjectMapper mapper =
        file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
            ? new ObjectMapper()
            : new YAMLMapper();
    JsonNode root;
    try {
      root = mapper.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IOException(file + ": not valid YAML/JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": expected a mapping of keys to values");
    }
    return new SftConfigFile(file, (ObjectNode) root).read();
  }

  private SftConfig read() throws ConfigFormatException {
    for (var it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new ConfigFormatException(file, key, "unknown key; known keys: " + KEYS);
      }
    }
    Path base = file.toAbsolutePath().getParent();
    FieldMapping defaults = FieldMapping.DEFAULT;
    String evalFile = string("eval_file", null);
    String holdoutField = string("holdout_field", null);
    try {
      DataConfig data =
          new DataConfig(
              base.resolve(required("train_file")),
              evalFile == null ? null : base.resolve(evalFile),
              new FieldMapping(
                  string("prompt_field", defaults.prompt()),
                  string("completion_field", defaults.completion()),
                  string("messages_field", defaults.messages())),
              number("holdout_fraction", evalFile == null && holdoutField == null ? 0.1 : 0, 0, 0.99),
              holdoutField,
              strings("holdout_values"),
              string("system_prompt", null),
              integer("max_length", 1024, 2));
      AdamWConfig adamw =
          new AdamWConfig(
              number("adam_beta1", AdamWConfig.DEFAULT.beta1(), 0, 0.999999),
              number("adam_beta2", AdamWConfig.DEFAULT.beta2(), 0, 0.999999),
              number("adam_eps", AdamWConfig.DEFAULT.eps(), 1e-30, 1),
              number("weight_decay", 0, 0, Double.POSITIVE_INFINITY));
      Precision precision = choice("precision", Precision.class, Precision.FP32);
      TrainerConfig trainer =
          TrainerConfig.builder()
              .optLr(number("lr", 5e-5, 1e-30, Double.POSITIVE_INFINITY))
              .optSchedule(choice("schedule", ScheduleKind.class, ScheduleKind.LINEAR))
              .optWarmupSteps(integer("warmup_steps", 0, 0))
              .optWarmupRatio(number("warmup_ratio", 0, 0, 1))
              .optAdamW(adamw)
              .optMaxGradNorm(number("max_grad_norm", 1.0, 0, Double.POSITIVE_INFINITY))
              .optBatchSize(integer("batch_size", 4, 1))
              .optGradAccumulation(integer("grad_accumulation", 1, 1))
              .optEpochs(integer("epochs", 1, 1))
              .optMaxSteps(integer("max_steps", 0, 0))
              .optEvalEvery(integer("eval_every", 0, 0))
              .optPatience(integer("patience", 0, 0))
              .optCheckpointEvery(integer("checkpoint_every", 0, 0))
              .optKeepCheckpoints(integer("keep_checkpoints", 2, 1))
              .optSeed(integer("seed", 42, Integer.MIN_VALUE))
              .optGroupByLength(bool("group_by_length", false))
              .optLossScaling(precision == Precision.FP16)
              .optOutputDir(base.resolve(required("output_dir")))
              .build();
      String method = string("method", "full");
      if (!SftConfig.METHODS.contains(method)) {
        throw new ConfigFormatException(
            file, "method", "\"" + method + "\" is not one of " + SftConfig.METHODS);
      }
      String model = required("model");
      String modelPath = Files.isDirectory(base.resolve(model)) ? base.resolve(model).toString() : model;
      rejectUnless(SftConfig.usesLora(method), LORA_KEYS, method, "lora or qlora");
      rejectUnless(method.equals("prompt"), PROMPT_KEYS, method, "prompt");
      return new SftConfig(
          modelPath, method, data, trainer,
          precision, bool("save_final_model", true),
          SftConfig.usesLora(method) ? lora(trainer.seed()) : null,
          method.equals("prompt") ? prompt(modelPath, trainer.seed()) : null);
    } catch (IllegalArgumentException e) {
      // A rule across keys (each key's own range is checked as it is read).
      throw new ConfigFormatException(file, "(combination)", e.getMessage());
    }
  }

  private LoraConfig lora(long seed) throws ConfigFormatException {
    List<String> targets = names("lora_targets", List.of("q_proj", "v_proj"));
    for (String target : targets) {
      if (!target.equals(LoraConfig.ALL_LINEAR) && !isProjection(target)) {
        throw new ConfigFormatException(
            file, "lora_targets",
            "\"" + target + "\" is not a projection of a Llama-family decoder; expected names from "
                + PROJECTION_NAMES + " or \"" + LoraConfig.ALL_LINEAR + "\"");
      }
    }
    return LoraConfig.builder()
        .setR(integer("lora_r", 8, 1))
        .optAlpha(number("lora_alpha", 16, 1e-30, Double.POSITIVE_INFINITY))
        .optDropout(number("lora_dropout", 0.05, 0, 0.999))
        .setTargetModules(targets)
        .optUseRslora(bool("use_rslora", false))
        .optSeed(seed)
        .build();
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
    String text = string("prompt_init_text", null);
    PromptInit init = choice("prompt_init", PromptInit.class, text == null ? PromptInit.RANDOM : PromptInit.TEXT);
    if (init == PromptInit.TEXT && (text == null || text.isEmpty())) {
      throw new ConfigFormatException(
          file, "prompt_init_text", "missing; prompt_init text starts from this text's tokens");
    }
    if (init != PromptInit.TEXT && text != null) {
      throw new ConfigFormatException(
          file, "prompt_init_text", "only read with prompt_init: text, not " + init.name().toLowerCase(Locale.ROOT));
    }
    return new PromptTuningConfig(integer("virtual_tokens", 20, 1), init, text, tokenizer, seed);
  }

  private void rejectUnless(boolean applies, List<String> keys, String method, String methods)
      throws ConfigFormatException {
    for (String key : keys) {
      if (!applies && value(key) != null) {
        throw new ConfigFormatException(
            file, key, "only read by method " + methods + "; this config's method is " + method);
      }
    }
  }

  private JsonNode value(String key) {
    JsonNode node = root.get(key);
    return node == null || node.isNull() ? null : node;
  }

  private String required(String key) throws ConfigFormatException {
    String value = string(key, null);
    if (value == null) {
      throw new ConfigFormatException(file, key, "missing; it is required");
    }
    return value;
  }

  private String string(String key, String fallback) throws ConfigFormatException {
    JsonNode node = value(key);
    if (node == null) {
      return fallback;
    }
    if (!node.isValueNode() || node.isBoolean()) {
      throw new ConfigFormatException(file, key, "expected text, found " + node.getNodeType());
    }
    return node.asText();
  }

  private double number(String key, double fallback, double min, double max)
      throws ConfigFormatException {
    JsonNode node = value(key);
    if (node == null) {
      return fallback;
    }
    double value = Double.NaN;
    if (node.isNumber()) {
      value = node.asDouble();
    } else if (node.isTextual()) {
      try {
        value = Double.parseDouble(node.asText().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    if (Double.isNaN(value)) {
      throw new ConfigFormatException(file, key, "expected a number, found " + node);
    }
    if (value < min || value > max) {
      throw new ConfigFormatException(
          file, key, "expected a number in [" + min + ", " + max + "], found " + value);
    }
    return value;
  }

  private int integer(String key, int fallback, int min) throws ConfigFormatException {
    JsonNode node = value(key);
    if (node == null) {
      return fallback;
    }
    int value;
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      value = node.asInt();
    } else if (node.isTextual() && node.asText().trim().matches("-?\\d+")) {
      value = Integer.parseInt(node.asText().trim());
    } else {
      throw new ConfigFormatException(file, key, "expected a whole number, found " + node);
    }
    if (value < min) {
      throw new ConfigFormatException(file, key, "expected at least " + min + ", found " + value);
    }
    return value;
  }

  private boolean bool(String key, boolean fallback) throws ConfigFormatException {
    JsonNode node = value(key);
    if (node == null) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw new ConfigFormatException(file, key, "expected true or false, found " + node);
    }
    return node.asBoolean();
  }

  private List<String> strings(String key) throws ConfigFormatException {
    JsonNode node = value(key);
    List<String> values = new ArrayList<>();
    if (node == null) {
      return values;
    }
    if (!node.isArray()) {
      throw new ConfigFormatException(file, key, "expected a list, found " + node.getNodeType());
    }
    for (JsonNode item : node) {
      values.add(item.asText());
    }
    return values;
  }

  /** A list, or one comma-separated string ({@code q_proj, v_proj}). */
  private List<String> names(String key, List<String> fallback) throws ConfigFormatException {
    JsonNode node = value(key);
    if (node == null) {
      return fallback;
    }
    List<String> values =
        node.isTextual()
            ? Arrays.stream(node.asText().split(",", -1)).map(String::trim).toList()
            : strings(key);
    if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
      throw new ConfigFormatException(file, key, "expected one or more names, found " + node);
    }
    return values;
  }

  private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback)
      throws ConfigFormatException {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigFormatException(file, key, "\"" + text + "\" is not one of " + names);
  }
}
