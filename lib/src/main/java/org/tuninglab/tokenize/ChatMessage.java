package org.tuninglab.tokenize;

import java.util.Objects;

/**
 * One turn of a conversation, as chat templates see it.
 *
 * @param role who speaks: {@code "system"}, {@code "user"}, {@code "assistant"} (templates may
 *     accept others, such as {@code "tool"})
 * @param content what is said
 */
public record ChatMessage(String role, String content) {

  /** Rejects nulls, which a template would otherwise render as empty text. */
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  /**
   * Creates a system message.
   *
   * @param content the instructions
   * @return the message
   */
  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  /**
   * Creates a user message.
   *
   * @param content what the user says
   * @return the message
   */
  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  /**
   * Creates an assistant message.
   *
   * @param content what the assistant answers
   * @return the message
   */
  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
