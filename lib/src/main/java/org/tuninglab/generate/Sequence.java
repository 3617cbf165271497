package org.tuninglab.generate;

import java.util.Arrays;
import java.util.List;
import org.tuninglab.tokenize.TextTokenizer;

/** The decoding state of one prompt: tokens so far, text streamed so far, and whether it ended. */
final class Sequence {
  final int index;
  private final int[] prompt;
  private final List<String> stopStrings;
  private final TextTokenizer tokenizer;
  private final TokenListener listener;
  private int[] tokens = new int[16];
  private int count;
  private String text = "";
  private int streamed; // chars of text already handed to the listener
  private FinishReason reason;

  Sequence(int index, int[] prompt, List<String> stopStrings, TextTokenizer tokenizer, TokenListener listener) {
    this.index = index;
    this.prompt = prompt;
    this.stopStrings = stopStrings;
    this.tokenizer = tokenizer;
    this.listener = listener;
  }

  boolean done() {
    return reason != null;
  }

  void accept(int token, boolean isStopToken) {
    if (isStopToken) {
      reason = FinishReason.STOP_TOKEN;
      flush(token, text.length());
      return;
    }
    if (count == tokens.length) {
      tokens = Arrays.copyOf(tokens, 2 * count);
    }
    tokens[count++] = token;
    if (tokenizer == null) {
      listener.onToken(index, token, "");
      return;
    }
    text = tokenizer.decode(Arrays.copyOf(tokens, count), true);
    for (String stop : stopStrings) {
      int at = text.indexOf(stop, Math.max(0, streamed - stop.length()));
      if (at >= 0) {
        text = text.substring(0, at);
        reason = FinishReason.STOP_STRING;
      }
    }
    flush(token, done() ? text.length() : safeLength());
  }

  /** Text that can no longer change: no trailing partial character, no possible stop prefix. */
  private int safeLength() {
    int safe = text.length();
    if (safe > 0 && text.charAt(safe - 1) == '\uFFFD') {
      safe--;
    }
    for (String stop : stopStrings) {
      for (int k = Math.min(stop.length() - 1, safe); k > 0; k--) {
        if (text.startsWith(stop.substring(0, k), safe - k)) {
          safe = Math.min(safe, safe - k);
          break;
        }
      }
    }
    return Math.max(safe, streamed);
  }

  private void flush(int token, int upTo) {
    int end = Math.max(streamed, Math.min(upTo, text.length()));
    listener.onToken(index, token, text.substring(streamed, end));
    streamed = end;
  }

  Generation finish() {
    if (reason == null) {
      reason = FinishReason.LENGTH;
      if (streamed < text.length()) {
        listener.onToken(index, count > 0 ? tokens[count - 1] : -1, text.substring(streamed));
        streamed = text.length();
      }
    }
    return new Generation(prompt, Arrays.copyOf(tokens, count), text, reason);
  }
}
