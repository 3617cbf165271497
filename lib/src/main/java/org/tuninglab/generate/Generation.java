package org.tuninglab.generate;

/**
 * One prompt's continuation.
 *
 * @param prompt the prompt ids
 * @param tokens generated ids, without the stop token
 * @param text the decoded continuation, cut before any stop string
 * @param finishReason why it ended
 */
public record Generation(int[] prompt, int[] tokens, String text, FinishReason finishReason) {}
