package org.tuninglab.corpus;

import java.util.ArrayList;
import java.util.List;
import org.tuninglab.tokenize.ByteLevelBpe;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;

/**
 * A conversation as pretraining text: rendered by the ChatML template the pretrained model ships
 * with ({@link ByteLevelBpe#CHATML_TEMPLATE}, default system turn "You are a helpful assistant."),
 * so the corpus holds byte for byte what the chat path sends the model at inference.
 */
final class ChatText {
  private static final ChatTemplate CHATML =
      ChatTemplate.of(ByteLevelBpe.CHATML_TEMPLATE, null, "<|im_end|>");

  private ChatText() {}

  /**
   * The conversation with the assistant's answer as its last turn.
   *
   * @param prompt the turns before the answer (system, user, earlier assistant turns)
   * @param answer the assistant's reply
   * @return the rendered text, ending with {@code <|im_end|>} and a newline
   */
  static String of(List<ChatMessage> prompt, String answer) {
    List<ChatMessage> turns = new ArrayList<>(prompt);
    turns.add(ChatMessage.assistant(answer));
    return CHATML.render(turns, false);
  }
}
