package org.tuninglab.train;

import java.nio.file.Path;
import org.tuninglab.data.TruncationReport;

/**
 * What a supervised fine-tuning recipe did.
 *
 * @param training how the training loop ended, with its losses and evaluations
 * @param truncation what truncation to the max length cut from the training data
 * @param trainExamples examples trained on
 * @param holdoutExamples examples evaluated on
 * @param finalModel the trained model in Hugging Face layout (full), or null if none was written
 * @param adapter the trained adapter in PEFT's format (lora, qlora, prompt), or null if none was
 *     written
 */
public record SftResult(
    TrainingResult training,
    TruncationReport truncation,
    int trainExamples,
    int holdoutExamples,
    Path finalModel,
    Path adapter) {}
