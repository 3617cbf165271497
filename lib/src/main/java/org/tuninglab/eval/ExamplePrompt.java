package org.tuninglab.eval;

import java.util.List;
import org.tuninglab.tokenize.ChatMessage;

/**
 * How a strategy turns a labelled example into the conversation its model answers. The open hook
 * for retrieval-augmented generation: retrieve passages for {@code example.input()} and put them in
 * the messages.
 */
@FunctionalInterface
public interface ExamplePrompt {

  /**
   * Builds the conversation for one example.
   *
   * @param example the example (its reference must not leak into the prompt)
   * @return the messages, oldest first, ending with the user turn to answer
   */
  List<ChatMessage> messages(LabelledExample example);
}
