package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;

/**
 * One model's summed answer log-probabilities for some pairs: half of what a preference loss reads
 * (the policy's, or the reference's).
 *
 * @param chosen {@code (B)} float32 log-probabilities of the chosen answers
 * @param rejected {@code (B)} float32 log-probabilities of the rejected answers
 * @param chosenTokens {@code (B)} float32 answer lengths in tokens (EOS included)
 * @param rejectedTokens {@code (B)} float32 answer lengths in tokens
 */
public record PairLogps(
    NDArray chosen, NDArray rejected, NDArray chosenTokens, NDArray rejectedTokens) {}
