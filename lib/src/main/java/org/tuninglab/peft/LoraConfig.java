package org.tuninglab.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * LoRA's settings: {@code W x + (alpha / r) B A x}, with A {@code (r, in)} and B {@code (out, r)}.
 *
 * @param r the rank of the update
 * @param alpha the update's scale numerator ({@code lora_alpha})
 * @param dropout probability of zeroing an input of the LoRA branch while training
 * @param targetModules module names to adapt ({@code q_proj}, ... or {@code all-linear}); a name
 *     matches a module path equal to it or ending in {@code .name}, as in PEFT
 * @param useRslora scale by {@code alpha / sqrt(r)} (rank-stabilised LoRA) instead of {@code alpha
 *     / r}
 * @param seed seeds A's initialisation (in Java, one stream per module) and dropout (applying or
 *     loading the adapter seeds the engine's generator with it); not part of PEFT's config, so not
 *     saved
 */
public record LoraConfig(
    int r, double alpha, double dropout, List<String> targetModules, boolean useRslora, long seed) {

  /** The target that selects every projection of the decoder (not the output head), as in PEFT. */
  public static final String ALL_LINEAR = "all-linear";

  private static final ObjectMapper JSON = new ObjectMapper();

  public LoraConfig {
    if (r <= 0) {
      throw new IllegalArgumentException("LoRA r must be positive, got " + r);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
    }
    if (targetModules == null || targetModules.isEmpty()) {
      throw new IllegalArgumentException("LoRA target_modules must name at least one module");
    }
    targetModules = List.copyOf(targetModules);
  }

  /** The factor applied to {@code B A x}. */
  public double scaling() {
    return useRslora ? alpha / Math.sqrt(r) : alpha / r;
  }

  /** Trainable parameters LoRA adds to a projection mapping {@code in -> out} features. */
  public long parametersFor(long in, long out) {
    return (long) r * (in + out);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * This config as PEFT writes {@code adapter_config.json} (PEFT 0.13+ field names and defaults).
   *
   * @param baseModel {@code base_model_name_or_path}: the Hub id or path of the base model
   * @param resolvedTargets the module names the adapter was applied to (all-linear expanded, as
   *     PEFT saves it)
   */
  public ObjectNode toPeftJson(String baseModel, List<String> resolvedTargets) {
    ObjectNode o = JSON.createObjectNode();
    o.putObject("alpha_pattern");
    o.putNull("auto_mapping");
    o.put("base_model_name_or_path", baseModel);
    o.put("bias", "none");
    o.put("fan_in_fan_out", false);
    o.put("inference_mode", true);
    o.put("init_lora_weights", true);
    o.putNull("layer_replication");
    o.putNull("layers_pattern");
    o.putNull("layers_to_transform");
    o.putObject("loftq_config");
    if (alpha == Math.rint(alpha)) {
      o.put("lora_alpha", (long) alpha);
    } else {
      o.put("lora_alpha", alpha);
    }
    o.put("lora_dropout", dropout);
    o.putNull("megatron_config");
    o.put("megatron_core", "megatron.core");
    o.putNull("modules_to_save");
    o.put("peft_type", "LORA");
    o.put("r", r);
    o.putObject("rank_pattern");
    o.putNull("revision");
    var targets = o.putArray("target_modules");
    resolvedTargets.forEach(targets::add);
    o.put("task_type", "CAUSAL_LM");
    o.put("use_dora", false);
    o.put("use_rslora", useRslora);
    return o;
  }

  /**
   * Reads PEFT's {@code adapter_config.json}; rejects the LoRA variants this library does not
   * implement (DoRA, biases, per-module ranks, ...) rather than loading them wrongly.
   *
   * @param source the file, for error messages
   */
  public static LoraConfig fromPeftJson(JsonNode root, String source)
      throws AdapterFormatException {
    var f = new PeftJson(root, source);
    f.requireText("peft_type", "LORA");
    f.requireTextIfPresent("task_type", "CAUSAL_LM");
    f.requireTextIfPresent("bias", "none");
    f.requireFalseIfPresent("use_dora");
    f.requireFalseIfPresent("fan_in_fan_out");
    f.requireFalseIfPresent("lora_bias");
    f.requireEmptyIfPresent("exclude_modules");
    f.requireEmptyIfPresent("modules_to_save");
    f.requireEmptyIfPresent("rank_pattern");
    f.requireEmptyIfPresent("alpha_pattern");
    f.requireEmptyIfPresent("layers_to_transform");
    f.requireEmptyIfPresent("layer_replication");
    JsonNode targets = root.get("target_modules");
    List<String> names = new ArrayList<>();
    if (targets != null && targets.isArray()) {
      targets.forEach(t -> names.add(t.asText()));
    } else if (targets != null && targets.isTextual() && targets.asText().equals(ALL_LINEAR)) {
      names.add(ALL_LINEAR);
    } else {
      throw new AdapterFormatException(
          source
              + ": field 'target_modules' must be a list of module names or \"all-linear\","
              + " got "
              + targets
              + " (regular expressions are not supported)");
    }
    try {
      return new LoraConfig(
          f.requiredInt("r"),
          f.requiredNumber("lora_alpha"),
          f.optNumber("lora_dropout", 0),
          names,
          root.path("use_rslora").asBoolean(false),
          0);
    } catch (IllegalArgumentException e) {
      throw new AdapterFormatException(source + ": " + e.getMessage());
    }
  }

  /** Builds a config: {@code setR} and {@code setTargetModules} are required. */
  public static final class Builder {
    private int r;
    private double alpha = -1;
    private double dropout;
    private List<String> targetModules;
    private boolean useRslora;
    private long seed;

    public Builder setR(int value) {
      r = value;
      return this;
    }

    public Builder setTargetModules(List<String> value) {
      targetModules = value;
      return this;
    }

    public Builder setTargetModules(String... value) {
      return setTargetModules(List.of(value));
    }

    /**
     * Defaults to {@code 2 r}, a scale of 2: the one LoRA default of the project (configs, the
     * benchmarks and the CLI all take it from here).
     */
    public Builder optAlpha(double value) {
      alpha = value;
      return this;
    }

    public Builder optDropout(double value) {
      dropout = value;
      return this;
    }

    public Builder optUseRslora(boolean value) {
      useRslora = value;
      return this;
    }

    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    public LoraConfig build() {
      return new LoraConfig(r, alpha < 0 ? 2.0 * r : alpha, dropout, targetModules, useRslora, seed);
    }
  }
}
