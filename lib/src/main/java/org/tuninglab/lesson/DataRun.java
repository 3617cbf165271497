package org.tuninglab.lesson;

import java.nio.file.Path;

/**
 * One fine-tuning run of the data lesson ({@link LearningCurve}): what it trained on, what it did,
 * and how its greedy answers to the shared holdout scored.
 *
 * @param name the run's label in tables and charts, e.g. {@code 50 examples}
 * @param examples training examples
 * @param corrupted how many of them had a wrong completion ({@link Corruption})
 * @param steps updates made
 * @param taskLoss the holdout's loss per answer token after the run
 * @param score the greedy answers' exact match and entity F1
 * @param seconds training time
 * @param adapter the adapter the run saved
 */
public record DataRun(
    String name, int examples, int corrupted, int steps, double taskLoss, ExtractionScore score,
    double seconds, Path adapter) {

  /**
   * Passes over the training examples the updates made: an epoch is {@code ceil(examples /
   * batchSize)} updates (the last batch of an epoch is short).
   */
  public double epochs(int batchSize) {
    return (double) steps / ((examples + batchSize - 1) / batchSize);
  }
}
