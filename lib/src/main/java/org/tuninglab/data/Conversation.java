package org.tuninglab.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tuninglab.tokenize.ChatMessage;

/**
 * A chat conversation; every assistant turn is trained, everything else is context.
 *
 * @param messages the turns, with at least one assistant turn and roles among {@link #ROLES}
 * @param fields the example's other fields as text
 * @param origin where it came from, for messages
 */
public record Conversation(List<ChatMessage> messages, Map<String, String> fields, String origin)
    implements Example {

  /** The roles a conversation may use. */
  public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  /** What a loader says of an assistant turn with no text, which would train nothing. */
  public static final String EMPTY_ANSWER =
      "the assistant turn is empty; expected the answer to train";

  /**
   * The first assistant turn with no text: loaders refuse it, naming where it is.
   *
   * @param messages the turns
   * @return its index, or -1 if every answer has text
   */
  public static int firstEmptyAnswer(List<ChatMessage> messages) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).role().equals("assistant") && messages.get(i).content().isBlank()) {
        return i;
      }
    }
    return -1;
  }

  /** Checks roles and that something is trained. */
  public Conversation {
    messages = List.copyOf(messages);
    fields = Map.copyOf(fields);
    Objects.requireNonNull(origin, "origin");
    boolean answered = false;
    for (ChatMessage m : messages) {
      if (!ROLES.contains(m.role())) {
        throw new IllegalArgumentException(
            origin + ": role \"" + m.role() + "\" is not one of " + ROLES);
      }
      answered |= m.role().equals("assistant");
    }
    if (!answered) {
      throw new IllegalArgumentException(origin + ": the conversation has no assistant turn to train");
    }
  }

  /**
   * Creates a conversation without other fields.
   *
   * @param messages the turns
   * @return the conversation, with origin {@code "inline"}
   */
  public static Conversation of(List<ChatMessage> messages) {
    return new Conversation(messages, Map.of(), "inline");
  }
}
