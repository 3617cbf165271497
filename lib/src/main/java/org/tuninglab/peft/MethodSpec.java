package org.tuninglab.peft;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * A fine-tuning method and its settings, from config to saved result: enough to count parameters
 * without loading weights ({@link ParameterReport}), to prepare a model ({@link #apply}) and to
 * load what a run saved ({@link #loadAdapter}). {@link #parse} is the one place a method's name
 * becomes a type.
 */
public sealed interface MethodSpec {

  /** The method names {@link #parse} reads, in the order the workshop compares them. */
  List<String> NAMES = List.of("full", "lora", "qlora", "prompt");

  /** A short name: full, lora, qlora, prompt; what a run's recorded config shows as its method. */
  @JsonValue
  String name();

  /**
   * Prepares a model for this method: gradients on what trains, adapters or virtual tokens added.
   *
   * @param model the decoder; a full fine-tune trains its weights in place, QLoRA quantises its
   *     projections to NF4
   * @param tokenizer encodes prompt tuning's init text; may be null for the other methods and
   *     other inits
   * @return the adapted model; closing it releases what the method added
   */
  AdaptedModel apply(LlamaModel model, TextTokenizer tokenizer);

  /**
   * Prepares a loaded model for this method.
   *
   * @param pretrained the decoder and its tokenizer
   * @return the adapted model
   */
  default AdaptedModel apply(PretrainedModel pretrained) {
    return apply(pretrained.model(), pretrained.tokenizer());
  }

  /** Whether a run saves an adapter (PEFT's format) rather than the whole model. */
  default boolean savesAdapter() {
    return true;
  }

  /**
   * Loads an adapter this method saved onto a fresh base.
   *
   * @param dir the adapter folder
   * @param model the base decoder it was trained on
   * @return the adapted model
   * @throws IOException if the adapter cannot be read or does not fit the model
   */
  AdaptedModel loadAdapter(Path dir, LlamaModel model) throws IOException;

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

  /**
   * The method a config or command line names.
   *
   * @param name one of {@link #NAMES}
   * @param lora the adapters' settings, read for lora and qlora
   * @param prompt the virtual tokens' settings, read for prompt
   * @return the method
   * @throws IllegalArgumentException if the name is not a method, or the method's settings are null
   */
  static MethodSpec parse(String name, LoraConfig lora, PromptTuningConfig prompt) {
    return switch (String.valueOf(name)) {
      case "full" -> full();
      case "lora" -> lora(requireSettings(lora, name));
      case "qlora" -> qlora(requireSettings(lora, name));
      case "prompt" -> promptTuning(requireSettings(prompt, name));
      default -> throw new IllegalArgumentException(
          "method \"" + name + "\" is not one of " + NAMES);
    };
  }

  /** Whether the named method reads LoRA's settings (lora, qlora). */
  static boolean usesLora(String name) {
    return "lora".equals(name) || "qlora".equals(name);
  }

  /** Whether the named method reads prompt tuning's settings. */
  static boolean usesPrompt(String name) {
    return "prompt".equals(name);
  }

  private static <T> T requireSettings(T settings, String name) {
    if (settings == null) {
      throw new IllegalArgumentException(
          "method " + name + " needs a " + (usesLora(name) ? "LoraConfig" : "PromptTuningConfig"));
    }
    return settings;
  }

  /** Every parameter trains. */
  record Full() implements MethodSpec {
    @Override
    public String name() {
      return "full";
    }

    @Override
    public AdaptedModel apply(LlamaModel model, TextTokenizer tokenizer) {
      return FullFineTune.apply(model);
    }

    /** A full fine-tune saves the whole model, in Hugging Face layout. */
    @Override
    public boolean savesAdapter() {
      return false;
    }

    @Override
    public AdaptedModel loadAdapter(Path dir, LlamaModel model) {
      throw new IllegalStateException(
          "a full fine-tune saves a whole model, not an adapter: load " + dir + " as a model");
    }
  }

  /** LoRA on a full-precision frozen base. */
  record Lora(LoraConfig config) implements MethodSpec {
    @Override
    public String name() {
      return "lora";
    }

    @Override
    public AdaptedModel apply(LlamaModel model, TextTokenizer tokenizer) {
      return LoraModel.apply(model, config);
    }

    @Override
    public AdaptedModel loadAdapter(Path dir, LlamaModel model) throws IOException {
      return LoraModel.load(dir, model);
    }
  }

  /** LoRA on a base whose projections are stored as NF4 with double-quantised scales. */
  record QLora(LoraConfig config) implements MethodSpec {
    @Override
    public String name() {
      return "qlora";
    }

    @Override
    public AdaptedModel apply(LlamaModel model, TextTokenizer tokenizer) {
      return QloraModel.apply(model, config);
    }

    @Override
    public AdaptedModel loadAdapter(Path dir, LlamaModel model) throws IOException {
      return QloraModel.load(dir, model);
    }
  }

  /** Trainable virtual-token embeddings prepended to the input. */
  record PromptTuning(PromptTuningConfig config) implements MethodSpec {
    @Override
    public String name() {
      return "prompt";
    }

    @Override
    public AdaptedModel apply(LlamaModel model, TextTokenizer tokenizer) {
      return PromptTuningModel.create(model, config, tokenizer);
    }

    @Override
    public AdaptedModel loadAdapter(Path dir, LlamaModel model) throws IOException {
      return PromptTuningModel.load(dir, model);
    }
  }
}
