package org.tuninglab.eval;

import java.util.List;
import java.util.Objects;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.tokenize.ChatMessage;

/**
 * What one strategy did with one example: the conversation sent, the reply or the failure, and what
 * it cost.
 *
 * @param example the example
 * @param strategy the strategy's name
 * @param messages the conversation sent to the model
 * @param seed the decoding seed (derived from the run seed and the example id)
 * @param reply the reply text, or null when the model failed
 * @param error the model's error message, or null when it answered
 * @param finishReason why the reply ended, or null when the model failed
 * @param latencyNanos wall time of the model call, failed calls included
 * @param promptTokens tokens the model read (0 when it failed)
 * @param completionTokens tokens it generated (0 when it failed)
 */
public record ExampleReply(
    LabelledExample example,
    String strategy,
    List<ChatMessage> messages,
    long seed,
    String reply,
    String error,
    FinishReason finishReason,
    long latencyNanos,
    int promptTokens,
    int completionTokens) {

  /** Requires exactly one of reply and error. */
  public ExampleReply {
    Objects.requireNonNull(example, "example");
    Objects.requireNonNull(strategy, "strategy");
    messages = List.copyOf(messages);
    if ((reply == null) == (error == null)) {
      throw new IllegalArgumentException(
          "example " + example.id() + ": exactly one of reply and error must be set");
    }
  }

  /**
   * Whether the model failed on this example; failed examples are counted, not scored.
   *
   * @return true when there is an error and no reply
   */
  public boolean failed() {
    return error != null;
  }

  /**
   * The latency in milliseconds.
   *
   * @return {@code latencyNanos / 1e6}
   */
  public double latencyMillis() {
    return latencyNanos / 1e6;
  }
}
