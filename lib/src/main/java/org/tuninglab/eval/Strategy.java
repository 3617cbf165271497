package org.tuninglab.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.prompt.FewShotBuilder;
import org.tuninglab.prompt.PromptTemplate;
import org.tuninglab.tokenize.ChatMessage;

/**
 * One way of answering a labelled set: a name for tables, the model that answers, and how an
 * example becomes its conversation. A fine-tuned model is just another {@link ChatModel} with the
 * same prompt as the base model's strategy.
 *
 * @param name the strategy's name in tables and charts (unique within a run)
 * @param model the model that answers
 * @param prompt turns an example into messages
 */
public record Strategy(String name, ChatModel model, ExamplePrompt prompt) {

  /** Rejects nulls and a blank name. */
  public Strategy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prompt, "prompt");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a strategy name must not be blank");
    }
  }

  /**
   * The input alone as the one user turn.
   *
   * @param name the strategy's name
   * @param model the model
   * @return the strategy
   */
  public static Strategy plain(String name, ChatModel model) {
    return new Strategy(name, model, e -> List.of(ChatMessage.user(e.input())));
  }

  /**
   * An improved prompt: the template filled with the example's fields and {@code {input}} (which
   * wins over a field of that name). Its system prompt, if any, comes first.
   *
   * @param name the strategy's name
   * @param model the model
   * @param template the prompt template
   * @return the strategy
   */
  public static Strategy template(String name, ChatModel model, PromptTemplate template) {
    Objects.requireNonNull(template, "template");
    return new Strategy(
        name,
        model,
        e -> {
          Map<String, String> values = new HashMap<>(e.fields());
          values.put("input", e.input());
          return template.messages(values);
        });
  }

  /**
   * A few-shot prompt: the builder's examples as earlier turns, then the input.
   *
   * @param name the strategy's name
   * @param model the model
   * @param fewShot the few-shot builder (its pool should not hold the evaluated examples)
   * @return the strategy
   */
  public static Strategy fewShot(String name, ChatModel model, FewShotBuilder fewShot) {
    Objects.requireNonNull(fewShot, "fewShot");
    return new Strategy(name, model, e -> fewShot.messages(e.input()));
  }
}
