package org.tuninglab.generate;

/** Receives generated text as it is produced, for streaming to a console, a notebook or HTTP. */
@FunctionalInterface
public interface TokenListener {
  TokenListener NONE = (sequence, token, text) -> {};

  /**
   * @param sequence index of the prompt in the batch
   * @param token the id just generated
   * @param textDelta the new text it completes (may be empty while a multi-byte character or a
   *     possible stop string is still undecided)
   */
  void onToken(int sequence, int token, String textDelta);
}
