package org.tuninglab.generate;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.List;
import org.tuninglab.hub.ModelLocator;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.tokenize.ChatMessage;

/**
 * The one-line way to talk to a model: loads it by directory or Hub name ({@code
 * Qwen/Qwen2.5-0.5B-Instruct}: a local directory first, then the Hugging Face cache, then a
 * download unless {@code HF_HUB_OFFLINE=1}) and answers through its {@link Generator}.
 *
 * <pre>{@code
 * try (LanguageModel m = LanguageModel.load("Qwen/Qwen2.5-0.5B-Instruct", Device.cpu(), DataType.FLOAT32)) {
 *   System.out.println(m.chat(List.of(ChatMessage.user("What is 7*6?")), GenerationConfig.greedy(64)).text());
 * }
 * }</pre>
 */
public final class LanguageModel implements AutoCloseable {
  private final PretrainedModel pretrained;
  private final Generator generator;

  private LanguageModel(PretrainedModel pretrained) {
    this.pretrained = pretrained;
    this.generator = new Generator(pretrained.model(), pretrained.tokenizer());
  }

  /** Loads by local path or Hub name, using the environment's cache and offline settings. */
  public static LanguageModel load(String nameOrPath, Device device, DataType dtype)
      throws IOException {
    return load(nameOrPath, ModelLocator.fromEnvironment(), device, dtype);
  }

  /** Loads by local path or Hub name through the given locator (cache, endpoint, token). */
  public static LanguageModel load(
      String nameOrPath, ModelLocator locator, Device device, DataType dtype) throws IOException {
    return new LanguageModel(
        PretrainedModel.load(locator.locate(nameOrPath, null), device, dtype));
  }

  /** The façade over a model already loaded; closing it closes the model. */
  public static LanguageModel of(PretrainedModel pretrained) {
    return new LanguageModel(pretrained);
  }

  /**
   * Loads by local path or Hub name, for code that needs the model itself (a recipe, a
   * benchmark): the same lookup as {@link #load(String, Device, DataType)}.
   */
  public static PretrainedModel loadPretrained(String nameOrPath, Device device, DataType dtype)
      throws IOException {
    return PretrainedModel.load(ModelLocator.fromEnvironment().locate(nameOrPath, null), device, dtype);
  }

  /** The decoder, tokenizer and chat template. */
  public PretrainedModel pretrained() {
    return pretrained;
  }

  /** The generator over the plain model. */
  public Generator generator() {
    return generator;
  }

  /** Continues plain text (special tokens such as BOS added as the tokenizer prescribes). */
  public Generation complete(String prompt, GenerationConfig config) {
    return generator.generate(pretrained.tokenizer().encode(prompt, true), config);
  }

  /** Answers a conversation through the model's chat template. */
  public Generation chat(List<ChatMessage> messages, GenerationConfig config) {
    return generator.generate(pretrained.encodeChat(messages), config);
  }

  /** Closes the model and its tokenizer. */
  @Override
  public void close() {
    pretrained.close();
  }
}
