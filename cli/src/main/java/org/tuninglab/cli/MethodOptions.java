package org.tuninglab.cli;

import java.util.List;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.PromptTuningConfig;
import picocli.CommandLine.Option;

/** The options that describe a fine-tuning method, shared by {@code params} and {@code plan}. */
public final class MethodOptions {
  @Option(
      names = "--method",
      defaultValue = "lora",
      description = "full, lora, qlora or prompt (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--r", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
  int r;

  @Option(
      names = "--alpha",
      description = "LoRA alpha (default: 2 r, LoraConfig's; it changes no count).")
  Double alpha;

  @Option(
      names = "--lora-dropout",
      defaultValue = "0.05",
      description = "LoRA dropout; its mask costs activation memory (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(
      names = "--targets",
      split = ",",
      defaultValue = "q_proj,v_proj",
      description = "LoRA target modules, or all-linear (default: ${DEFAULT-VALUE}).")
  List<String> targets;

  @Option(
      names = "--virtual-tokens",
      defaultValue = "20",
      description = "Prompt tuning's virtual tokens (default: ${DEFAULT-VALUE}).")
  int virtualTokens;

  /**
   * The method the options describe.
   *
   * @throws IllegalArgumentException naming the option when a value is out of range
   */
  MethodSpec spec() {
    if (r < 1) {
      throw new IllegalArgumentException("--r must be at least 1, got " + r);
    }
    if (virtualTokens < 1) {
      throw new IllegalArgumentException("--virtual-tokens must be at least 1, got " + virtualTokens);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("--lora-dropout must be in [0, 1), got " + dropout);
    }
    if (!MethodSpec.NAMES.contains(method)) {
      throw new IllegalArgumentException(
          "--method must be full, lora, qlora or prompt, got '" + method + "'");
    }
    LoraConfig.Builder lora =
        LoraConfig.builder().setR(r).optDropout(dropout).setTargetModules(targets);
    if (alpha != null) {
      lora.optAlpha(alpha);
    }
    return MethodSpec.parse(
        method, lora.build(), PromptTuningConfig.builder().setNumVirtualTokens(virtualTokens).build());
  }
}
