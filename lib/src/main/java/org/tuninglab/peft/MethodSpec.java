package org.tuninglab.peft;

/** A fine-tuning method and its settings: enough to count parameters without loading weights. */
public sealed interface MethodSpec {

  /** A short name: full, lora, qlora, prompt. */
  String name();

  static MethodSpec full() {
    return new Full();
  }

  static MethodSpec lora(LoraConfig config) {
    return new Lora(config);
  }

  static MethodSpec qlora(LoraConfig config) {
    return new QLora(config);
  }

  static MethodSpec promptTuning(PromptTuningConfig config) {
    return new PromptTuning(config);
  }

  /** Every parameter trains. */
  record Full() implements MethodSpec {
    @Override
    public String name() {
      return "full";
    }
  }

  /** LoRA on a full-precision frozen base. */
  record Lora(LoraConfig config) implements MethodSpec {
    @Override
    public String name() {
      return "lora";
    }
  }

  /** LoRA on a base whose projections are stored as NF4 with double-quantised scales. */
  record QLora(LoraConfig config) implements MethodSpec {
    @Override
    public String name() {
      return "qlora";
    }
  }

  /** Trainable virtual-token embeddings prepended to the input. */
  record PromptTuning(PromptTuningConfig config) implements MethodSpec {
    @Override
    public String name() {
      return "prompt";
    }
  }
}
