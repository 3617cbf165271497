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
