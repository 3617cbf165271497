package org.tuninglab.train;

import java.nio.file.Path;

/**
 * What a preference-optimisation recipe did.
 *
 * @param training how the training loop ended, with its losses and evaluations (their metrics
 *     under TRL's names)
 * @param trainPairs pairs trained on
 * @param holdoutPairs pairs evaluated on
 * @param reference how the reference's log-probabilities were had, in words
 * @param referenceSeconds the time spent precomputing them (0 when scored at every step or none)
 * @param finalModel the trained model in Hugging Face layout (full), or null if none was written
 * @param adapter the trained adapter in PEFT's format (lora, qlora, prompt), or null
 */
public record DpoResult(
    TrainingResult training,
    int trainPairs,
    int holdoutPairs,
    String reference,
    double referenceSeconds,
    Path finalModel,
    Path adapter) {}
