package org.tuninglab.chat;

import java.util.Objects;
import org.tuninglab.generate.FinishReason;

/**
 * A model's answer.
 *
 * @param text the reply, without the end-of-turn token or any stop string
 * @param finishReason why it ended ({@link FinishReason#LENGTH} when cut by the token limit)
 * @param promptTokens tokens the model read (as the model or the endpoint counts them)
 * @param completionTokens tokens it generated
 */
public record ChatReply(String text, FinishReason finishReason, int promptTokens, int completionTokens) {

  public ChatReply {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(finishReason, "finishReason");
  }
}
