package org.tuninglab.serve;

import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * How much text can possibly fit a model's context, known before tokenising: no token covers
 * more characters than the longest piece of the vocabulary, so a prompt longer than {@code
 * context × longest piece} characters cannot fit and is refused without running the tokenizer
 * (which on megabytes of text takes seconds to minutes and gigabytes of native memory).
 *
 * @param contextTokens the model's context, in tokens
 * @param maxPromptChars the most characters a prompt may have and still possibly fit
 * @param maxBodyBytes the largest request body worth reading: the prompt limit with room for JSON
 *     escaping ({@code \\uXXXX}: six bytes a character) and the other fields, capped at {@code cap}
 */
record PromptLimits(int contextTokens, long maxPromptChars, int maxBodyBytes) {

  /** Room for the fields around the prompt (model, sampling, roles) and many short messages. */
  private static final int ENVELOPE_BYTES = 64 << 10;

  private static final int ESCAPED_BYTES_PER_CHAR = 6;

  static PromptLimits of(LocalChatModel model, int cap) {
    TextTokenizer tokenizer = model.model().tokenizer();
    int longest = 1;
    for (int id = 0; id < tokenizer.vocabSize(); id++) {
      longest = Math.max(longest, tokenizer.tokenText(id).length());
    }
    int context = model.maxContextTokens();
    long chars = (long) context * longest;
    long body = chars * ESCAPED_BYTES_PER_CHAR + ENVELOPE_BYTES;
    return new PromptLimits(context, chars, (int) Math.min(cap, body));
  }

  /**
   * Refuses a prompt that cannot fit, before it is tokenised.
   *
   * @param chars the prompt's characters (all messages' content together for chat)
   * @param param the field named in the error
   * @throws ApiException (400) naming the limit
   */
  void checkChars(long chars, String param) {
    if (chars > maxPromptChars) {
      throw new ApiException(
          400, "this model's maximum context length is " + contextTokens + " tokens, which no "
              + "text over " + maxPromptChars + " characters can fit; the " + param + " have "
              + chars, "invalid_request_error", param, "context_length_exceeded");
    }
  }
}
