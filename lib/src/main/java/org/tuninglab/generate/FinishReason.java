package org.tuninglab.generate;

/** Why a sequence stopped. */
public enum FinishReason {
  /** An end-of-sequence token (not part of the output). */
  STOP_TOKEN,
  /** A stop string (cut from the output). */
  STOP_STRING,
  /** {@code maxNewTokens} reached. */
  LENGTH
}
