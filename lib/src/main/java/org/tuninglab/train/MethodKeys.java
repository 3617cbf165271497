package org.tuninglab.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tuninglab.model.LlamaWeights;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;

/**
 * The {@code method} key of a training config file and the method's own keys, read the same way
 * by every recipe's file ({@link SftConfigFile}, {@link DpoConfigFile}): for {@code lora} and
 * {@code qlora}, {@code lora_r} (8), {@code lora_alpha} (2 r), {@code lora_dropout} (0.05), {@code
 * lora_targets} ({@code [q_proj, v_proj]}) and {@code use_rslora}; for {@code prompt}, {@code
 * virtual_tokens} (20), {@code prompt_init} and {@code prompt_init_text}. A method's key in a
 * config of another method is an error rather than silently ignored.
 */
final class MethodKeys {
  /** Keys that only the LoRA methods (lora, qlora) read. */
  static final List<String> LORA_KEYS =
      List.of("lora_r", "lora_alpha", "lora_dropout", "lora_targets", "use_rslora");

  /** Keys that only prompt tuning reads. */
  static final List<String> PROMPT_KEYS =
      List.of("virtual_tokens", "prompt_init", "prompt_init_text");

  /** What users write in lora_targets: q_proj, k_proj, ... */
  private static final List<String> PROJECTION_NAMES =
      Arrays.stream(LlamaWeights.PROJECTIONS).map(p -> p.substring(p.lastIndexOf('.') + 1)).toList();

  private MethodKeys() {}

  /**
   * Reads the method and its settings.
   *
   * @param f the file's fields
   * @param fallback the method when the file names none
   * @param tokenizer the model path whose tokenizer encodes prompt tuning's init text
   * @param seed the run's seed, for the adapters' initialisation
   * @return the method
   * @throws ConfigFormatException naming the key that is unknown, misplaced or out of range
   */
  static MethodSpec read(ConfigFields f, String fallback, String tokenizer, long seed)
      throws ConfigFormatException {
    String method = f.string("method", fallback);
    if (!MethodSpec.NAMES.contains(method)) {
      throw new ConfigFormatException(
          f.file(), "method", "\"" + method + "\" is not one of " + MethodSpec.NAMES);
    }
    rejectUnless(f, MethodSpec.usesLora(method), LORA_KEYS, method, "lora or qlora");
    rejectUnless(f, MethodSpec.usesPrompt(method), PROMPT_KEYS, method, "prompt");
    return MethodSpec.parse(
        method,
        MethodSpec.usesLora(method) ? lora(f, seed) : null,
        MethodSpec.usesPrompt(method) ? prompt(f, tokenizer, seed) : null);
  }

  private static LoraConfig lora(ConfigFields f, long seed) throws ConfigFormatException {
    List<String> targets = f.names("lora_targets", List.of("q_proj", "v_proj"));
    for (String target : targets) {
      if (!target.equals(LoraConfig.ALL_LINEAR) && !isProjection(target)) {
        throw new ConfigFormatException(
            f.file(), "lora_targets",
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

  private static PromptTuningConfig prompt(ConfigFields f, String tokenizer, long seed)
      throws ConfigFormatException {
    String text = f.string("prompt_init_text", null);
    PromptInit init =
        f.choice("prompt_init", PromptInit.class, text == null ? PromptInit.RANDOM : PromptInit.TEXT);
    if (init == PromptInit.TEXT && (text == null || text.isEmpty())) {
      throw new ConfigFormatException(
          f.file(), "prompt_init_text", "missing; prompt_init text starts from this text's tokens");
    }
    if (init != PromptInit.TEXT && text != null) {
      throw new ConfigFormatException(
          f.file(), "prompt_init_text",
          "only read with prompt_init: text, not " + init.name().toLowerCase(Locale.ROOT));
    }
    return new PromptTuningConfig(f.integer("virtual_tokens", 20, 1), init, text, tokenizer, seed);
  }

  private static void rejectUnless(
      ConfigFields f, boolean applies, List<String> keys, String method, String methods)
      throws ConfigFormatException {
    for (String key : keys) {
      if (!applies && f.has(key)) {
        throw new ConfigFormatException(
            f.file(), key, "only read by method " + methods + "; this config's method is " + method);
      }
    }
  }
}
