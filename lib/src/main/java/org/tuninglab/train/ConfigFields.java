package org.tuninglab.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed reads of a flat YAML or JSON config file's keys, each failing with the file and the key:
 * numbers may be written as strings ({@code "5e-5"}, which YAML 1.1 reads as text), and an unknown
 * key is an error rather than silently ignored.
 */
final class ConfigFields {
  private final Path file;
  private final JsonNode root;

  private ConfigFields(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /** Parses {@code file} ({@code .json}, else YAML) and rejects keys outside {@code known}. */
  static ConfigFields read(Path file, Set<String> known) throws IOException {
    ConfigFields fields = parse(file);
    for (var it = fields.root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new ConfigFormatException(file, key, "unknown key; known keys: " + known);
      }
    }
    return fields;
  }

  /** Parses {@code file} ({@code .json}, else YAML) without checking its keys. */
  static ConfigFields parse(Path file) throws IOException {
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
    return new ConfigFields(file, root);
  }

  Path file() {
    return file;
  }

  /** A path relative to the config file's folder. */
  Path path(String key, boolean required) throws ConfigFormatException {
    String value = required ? required(key) : string(key, null);
    return value == null ? null : file.toAbsolutePath().getParent().resolve(value);
  }

  String required(String key) throws ConfigFormatException {
    String value = string(key, null);
    if (value == null) {
      throw new ConfigFormatException(file, key, "missing; it is required");
    }
    return value;
  }

  String string(String key, String fallback) throws ConfigFormatException {
    JsonNode node = value(key);
    if (node == null) {
      return fallback;
    }
    if (!node.isValueNode() || node.isBoolean()) {
      throw new ConfigFormatException(file, key, "expected text, found " + node.getNodeType());
    }
    return node.asText();
  }

  double number(String key, double fallback, double min, double max) throws ConfigFormatException {
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

  int integer(String key, int fallback, int min) throws ConfigFormatException {
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

  <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) throws ConfigFormatException {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigFormatException(file, key, "\"" + text + "\" is not one of " + names);
  }

  boolean bool(String key, boolean fallback) throws ConfigFormatException {
    JsonNode node = value(key);
    if (node == null) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw new ConfigFormatException(file, key, "expected true or false, found " + node);
    }
    return node.asBoolean();
  }

  /** A list of scalars as text; empty when the key is absent. */
  List<String> strings(String key) throws ConfigFormatException {
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

  /** A list, or one comma-separated string ({@code q_proj, v_proj}), of non-empty names. */
  List<String> names(String key, List<String> fallback) throws ConfigFormatException {
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

  /**
   * The optimizer and loop keys every training config shares ({@code lr}, {@code schedule},
   * warmup, AdamW's, {@code max_grad_norm}, batch and accumulation, epochs and steps, evaluation
   * and checkpoint intervals, {@code seed}, {@code output_dir} (required)); a key the file leaves
   * out keeps the value in {@code defaults}. The caller adds its own keys to the builder.
   */
  TrainerConfig.Builder trainer(TrainerConfig defaults) throws ConfigFormatException {
    AdamWConfig d = defaults.adamw();
    AdamWConfig adamw =
        new AdamWConfig(
            number("adam_beta1", d.beta1(), 0, 0.999999),
            number("adam_beta2", d.beta2(), 0, 0.999999),
            number("adam_eps", d.eps(), 1e-30, 1),
            number("weight_decay", d.weightDecay(), 0, Double.POSITIVE_INFINITY));
    return TrainerConfig.builder()
        .optLr(number("lr", defaults.lr(), 1e-30, Double.POSITIVE_INFINITY))
        .optSchedule(choice("schedule", ScheduleKind.class, defaults.schedule()))
        .optWarmupSteps(integer("warmup_steps", defaults.warmupSteps(), 0))
        .optWarmupRatio(number("warmup_ratio", defaults.warmupRatio(), 0, 1))
        .optAdamW(adamw)
        .optMaxGradNorm(
            number("max_grad_norm", defaults.maxGradNorm(), 0, Double.POSITIVE_INFINITY))
        .optBatchSize(integer("batch_size", defaults.batchSize(), 1))
        .optGradAccumulation(integer("grad_accumulation", defaults.gradAccumulation(), 1))
        .optEpochs(integer("epochs", defaults.epochs(), 1))
        .optMaxSteps(integer("max_steps", defaults.maxSteps(), 0))
        .optEvalEvery(integer("eval_every", defaults.evalEvery(), 0))
        .optCheckpointEvery(integer("checkpoint_every", defaults.checkpointEvery(), 0))
        .optKeepCheckpoints(integer("keep_checkpoints", defaults.keepCheckpoints(), 1))
        .optSeed(integer("seed", Math.toIntExact(defaults.seed()), Integer.MIN_VALUE))
        .optOutputDir(path("output_dir", true));
  }

  /** Whether the key is present with a non-null value. */
  boolean has(String key) {
    return value(key) != null;
  }

  private JsonNode value(String key) {
    JsonNode node = root.get(key);
    return node == null || node.isNull() ? null : node;
  }
}
