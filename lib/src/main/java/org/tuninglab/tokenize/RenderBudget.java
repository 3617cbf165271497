package org.tuninglab.tokenize;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.tree.Node;
import java.util.function.BiConsumer;

/**
 * The time one chat-template render may take, checked before every node Jinjava renders: a
 * template with nested loops (or one fed by a hostile request) stops with an error instead of
 * holding a thread for minutes. Output size is bounded separately by Jinjava's max output size.
 */
final class RenderBudget implements BiConsumer<Node, JinjavaInterpreter> {

  /** Thrown when the deadline has passed; Jinjava records it as a render error. */
  static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exceeded(String message) {
      super(message);
    }
  }

  private final long millis;
  private final long deadlineNanos;

  RenderBudget(long millis) {
    this.millis = millis;
    this.deadlineNanos = System.nanoTime() + millis * 1_000_000L;
  }

  @Override
  public void accept(Node node, JinjavaInterpreter interpreter) {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new Exceeded(
          "rendering ran over its budget of " + millis + " ms (at template line "
              + node.getLineNumber() + ")");
    }
  }
}
