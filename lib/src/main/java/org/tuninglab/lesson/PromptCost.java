package org.tuninglab.lesson;

/**
 * What one way of asking cost per answer, and what its answers were worth ({@link
 * PromptSizeStudy}).
 *
 * @param name the way of asking, e.g. {@code base model, 3-shot prompt}
 * @param answers the items asked
 * @param promptTokens mean prompt length in tokens, chat template included, over every item
 * @param msFirstToken mean wall time to read the prompt and give the first token (one prompt at a
 *     time), over the prompts that fit: what the prompt's size costs
 * @param msPerAnswer mean wall time of a whole answer (one prompt at a time), over the answers the
 *     model gave
 * @param answerTokens mean tokens generated per answer, over the answers the model gave
 * @param failures prompts that left no room for an answer in the model's context (scored as empty
 *     replies, left out of the time)
 * @param entityF1 entity F1 of the answers over every item
 */
public record PromptCost(
    String name, int answers, double promptTokens, double msFirstToken, double msPerAnswer,
    double answerTokens, int failures, double entityF1) {}
