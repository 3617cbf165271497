package org.tuninglab.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tuninglab.model.ModelConfig;

/**
 * Prompt tuning's settings.
 *
 * @param numVirtualTokens trainable embeddings prepended to every input
 * @param init how they start
 * @param initText the text whose token embeddings start them ({@link PromptInit#TEXT} only)
 * @param tokenizer the tokenizer's Hub id or path, saved as {@code tokenizer_name_or_path} (may be
 *     null)
 * @param seed seeds {@link PromptInit#SAMPLE_VOCAB} and {@link PromptInit#RANDOM}; not saved
 */
public record PromptTuningConfig(
    int numVirtualTokens, PromptInit init, String initText, String tokenizer, long seed) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public PromptTuningConfig {
    if (numVirtualTokens <= 0) {
      throw new IllegalArgumentException(
          "prompt tuning num_virtual_tokens must be positive, got " + numVirtualTokens);
    }
    if (init == null) {
      throw new IllegalArgumentException("prompt tuning needs prompt_tuning_init");
    }
    if (init == PromptInit.TEXT && (initText == null || initText.isEmpty())) {
      throw new IllegalArgumentException(
          "prompt_tuning_init TEXT needs a non-empty prompt_tuning_init_text");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This config as PEFT writes {@code adapter_config.json} for a causal LM. */
  public ObjectNode toPeftJson(String baseModel, ModelConfig model) {
    ObjectNode o = JSON.createObjectNode();
    o.putNull("auto_mapping");
    o.put("base_model_name_or_path", baseModel);
    o.put("inference_mode", true);
    o.put("num_attention_heads", model.numHeads());
    o.put("num_layers", model.numLayers());
    o.put("num_transformer_submodules", 1);
    o.put("num_virtual_tokens", numVirtualTokens);
    o.put("peft_type", "PROMPT_TUNING");
    o.put("prompt_tuning_init", init.name());
    if (init == PromptInit.TEXT) {
      o.put("prompt_tuning_init_text", initText);
    } else {
      o.putNull("prompt_tuning_init_text");
    }
    o.putNull("revision");
    o.put("task_type", "CAUSAL_LM");
    o.put("token_dim", model.hiddenSize());
    o.putNull("tokenizer_kwargs");
    if (tokenizer != null) {
      o.put("tokenizer_name_or_path", tokenizer);
    } else {
      o.putNull("tokenizer_name_or_path");
    }
    return o;
  }

  /**
   * Reads PEFT's {@code adapter_config.json} for prompt tuning.
   *
   * @param tokenDim the model's hidden size, which {@code token_dim} must equal
   * @param source the file, for error messages
   */
  public static PromptTuningConfig fromPeftJson(JsonNode root, int tokenDim, String source)
      throws AdapterFormatException {
    var f = new PeftJson(root, source);
    f.requireText("peft_type", "PROMPT_TUNING");
    f.requireTextIfPresent("task_type", "CAUSAL_LM");
    if (root.has("num_transformer_submodules")
        && !root.get("num_transformer_submodules").isNull()
        && f.requiredInt("num_transformer_submodules") != 1) {
      throw new AdapterFormatException(
          source
              + ": field 'num_transformer_submodules' must be 1 for a decoder-only model, got "
              + root.get("num_transformer_submodules"));
    }
    if (root.has("token_dim")
        && !root.get("token_dim").isNull()
        && f.requiredInt("token_dim") != tokenDim) {
      throw new AdapterFormatException(
          source
              + ": field 'token_dim' is "
              + root.get("token_dim")
              + " but the model's hidden"
              + " size is "
              + tokenDim
              + " (an adapter for another base model?)");
    }
    String initName = root.path("prompt_tuning_init").asText("RANDOM");
    PromptInit init;
    try {
      init = PromptInit.valueOf(initName);
    } catch (IllegalArgumentException e) {
      throw new AdapterFormatException(
          source
              + ": field 'prompt_tuning_init' must be TEXT, SAMPLE_VOCAB or RANDOM, got '"
              + initName
              + "'");
    }
    try {
      return new PromptTuningConfig(
          f.requiredInt("num_virtual_tokens"),
          init,
          f.optText("prompt_tuning_init_text"),
          f.optText("tokenizer_name_or_path"),
          0);
    } catch (IllegalArgumentException e) {
      throw new AdapterFormatException(source + ": " + e.getMessage());
    }
  }

  /** Builds a config: {@code setNumVirtualTokens} is required; init defaults to RANDOM. */
  public static final class Builder {
    private int numVirtualTokens;
    private PromptInit init = PromptInit.RANDOM;
    private String initText;
    private String tokenizer;
    private long seed;

    public Builder setNumVirtualTokens(int value) {
      numVirtualTokens = value;
      return this;
    }

    /** Starts from a text's token embeddings (sets the init to TEXT). */
    public Builder optInitText(String value) {
      init = PromptInit.TEXT;
      initText = value;
      return this;
    }

    public Builder optInit(PromptInit value) {
      init = value;
      return this;
    }

    public Builder optTokenizer(String value) {
      tokenizer = value;
      return this;
    }

    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    public PromptTuningConfig build() {
      return new PromptTuningConfig(numVirtualTokens, init, initText, tokenizer, seed);
    }
  }
}
