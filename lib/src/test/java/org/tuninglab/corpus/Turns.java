package org.tuninglab.corpus;

import java.util.List;
import org.tuninglab.data.ChatCorpus;
import org.tuninglab.tokenize.ChatMessage;

/** A rendered ChatML conversation read back into its turns, for the generators' tests. */
final class Turns {
  private Turns() {}

  /** The turns, checking that the text is nothing but turns. */
  static List<ChatMessage> of(String chat) {
    try {
      return ChatCorpus.turns(chat);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(e.getMessage() + ": " + chat, e);
    }
  }

  /** The last turn's text (the answer). */
  static String answer(String chat) {
    List<ChatMessage> turns = of(chat);
    ChatMessage last = turns.get(turns.size() - 1);
    if (!last.role().equals("assistant")) {
      throw new AssertionError("the last turn is not the assistant's: " + chat);
    }
    return last.content();
  }
}
