package org.tuninglab.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tuninglab.tokenize.ChatMessage;

/** A rendered ChatML conversation read back into its turns, for the generators' tests. */
final class Turns {
  private static final Pattern TURN =
      Pattern.compile("<\\|im_start\\|>(\\w+)\\n(.*?)<\\|im_end\\|>\\n?", Pattern.DOTALL);

  private Turns() {}

  /** The turns, checking that the text is nothing but turns. */
  static List<ChatMessage> of(String chat) {
    List<ChatMessage> out = new ArrayList<>();
    Matcher m = TURN.matcher(chat);
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new AssertionError("text between turns at " + end + ": " + chat);
      }
      out.add(new ChatMessage(m.group(1), m.group(2)));
      end = m.end();
    }
    if (end != chat.length()) {
      throw new AssertionError("text after the last turn: " + chat.substring(end));
    }
    return out;
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
