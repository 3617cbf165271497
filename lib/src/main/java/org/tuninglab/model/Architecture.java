package org.tuninglab.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The Hugging Face architectures this decoder implements, by their {@code architectures} name. */
public enum Architecture {
  LLAMA("LlamaForCausalLM", "llama"),
  MISTRAL("MistralForCausalLM", "mistral"),
  QWEN2("Qwen2ForCausalLM", "qwen2");

  private final String className;
  private final String modelType;

  Architecture(String className, String modelType) {
    this.className = className;
    this.modelType = modelType;
  }

  /** The class name in {@code config.json}'s {@code architectures} list. */
  public String className() {
    return className;
  }

  /** The {@code model_type} value in {@code config.json}. */
  public String modelType() {
    return modelType;
  }

  static Optional<Architecture> byClassName(String name) {
    return Arrays.stream(values()).filter(a -> a.className.equals(name)).findFirst();
  }

  static Optional<Architecture> byModelType(String type) {
    return Arrays.stream(values()).filter(a -> a.modelType.equals(type)).findFirst();
  }

  static String supportedList() {
    return Arrays.stream(values()).map(Architecture::className).collect(Collectors.joining(", "));
  }
}
