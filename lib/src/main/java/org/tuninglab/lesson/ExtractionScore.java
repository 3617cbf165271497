package org.tuninglab.lesson;

/**
 * How well greedy answers to an entity-extraction holdout match their references, as {@link
 * FinetuneComparison} measures them with {@code org.tuninglab.eval}'s metrics.
 *
 * @param examples answers scored
 * @param exactMatch the fraction equal to the reference after {@code ExactMatch.normalize}
 * @param validJson the fraction holding a valid JSON object or array
 * @param entityF1 micro-averaged F1 over typed entities ({@code people: Anna}); an answer without
 *     valid JSON names none
 */
public record ExtractionScore(int examples, double exactMatch, double validJson, double entityF1) {}
