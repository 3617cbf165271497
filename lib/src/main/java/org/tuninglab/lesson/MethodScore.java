package org.tuninglab.lesson;

/**
 * A fine-tuning method's preset, run and scored on the entity holdout.
 *
 * @param method {@code full}, {@code lora}, {@code qlora} or {@code prompt}
 * @param exact the fraction of answers equal to the reference JSON (normalised)
 * @param f1 micro-averaged F1 over typed entities ({@code people: Anna})
 * @param items holdout examples answered
 * @param seconds the training's wall time
 * @param generalLoss the story holdout's loss per token after training (forgetting)
 */
public record MethodScore(
    String method, double exact, double f1, int items, double seconds, double generalLoss) {}
