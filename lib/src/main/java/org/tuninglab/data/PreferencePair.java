package org.tuninglab.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tuninglab.tokenize.ChatMessage;

/**
 * One preference example: a prompt and two answers to it, the one people preferred and the one
 * they did not. Preference optimisation (DPO and its relatives) raises the chosen answer's
 * likelihood relative to the rejected one's.
 *
 * @param prompt the conversation so far, ending with the turn both answers reply to (a plain-text
 *     prompt is one user turn)
 * @param chosen the preferred assistant answer (not blank)
 * @param rejected the dispreferred assistant answer (not blank, not equal to {@code chosen})
 * @param fields the example's other fields as text
 * @param origin where it came from, for messages, for example {@code "train.jsonl:12"}
 */
public record PreferencePair(
    List<ChatMessage> prompt,
    String chosen,
    String rejected,
    Map<String, String> fields,
    String origin) {

  /** Rejects a blank side, identical sides and a prompt with no turn or an unknown role. */
  public PreferencePair {
    Objects.requireNonNull(origin, "origin");
    prompt = List.copyOf(prompt);
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    fields = Map.copyOf(fields);
    if (prompt.isEmpty()) {
      throw new IllegalArgumentException(origin + ": the prompt has no turn");
    }
    for (ChatMessage m : prompt) {
      if (!Conversation.ROLES.contains(m.role())) {
        throw new IllegalArgumentException(
            origin + ": role \"" + m.role() + "\" is not one of " + Conversation.ROLES);
      }
    }
    if (chosen.isBlank() || rejected.isBlank()) {
      throw new IllegalArgumentException(
          origin + ": the " + (chosen.isBlank() ? "chosen" : "rejected") + " answer is empty");
    }
    if (chosen.equals(rejected)) {
      throw new IllegalArgumentException(
          origin + ": the chosen and rejected answers are identical; a pair must differ");
    }
  }

  /**
   * A pair with a plain-text prompt and no other fields.
   *
   * @param prompt the user's text
   * @param chosen the preferred answer
   * @param rejected the dispreferred answer
   * @return the pair, with origin {@code "inline"}
   */
  public static PreferencePair of(String prompt, String chosen, String rejected) {
    return new PreferencePair(
        List.of(ChatMessage.user(prompt)), chosen, rejected, Map.of(), "inline");
  }
}
