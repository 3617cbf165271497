package org.tuninglab.chat;

/** Receives a reply's text as it streams. */
@FunctionalInterface
public interface ReplyListener {

  /**
   * @param textDelta the next piece of the reply (never null; may be empty)
   */
  void onDelta(String textDelta);
}
