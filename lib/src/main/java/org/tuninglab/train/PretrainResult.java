package org.tuninglab.train;

import java.nio.file.Path;

/**
 * What a pretraining run did.
 *
 * @param training the trainer's outcome (losses, evaluations, checkpoints)
 * @param vocabSize the trained tokenizer's vocabulary size
 * @param parameters the model's parameter count
 * @param trainSequences packed training sequences of the corpus, 0 with drills alone
 * @param copyDrillSequences copy-drill sequences trained beside them, 0 without the drill
 * @param trainTokens tokens in the training corpus (document separators included), 0 with drills
 *     alone
 * @param holdoutTokens tokens in the holdout corpus, 0 without one
 * @param initialHoldoutLoss the holdout loss of the untrained model, NaN without a holdout
 * @param finalHoldoutLoss the holdout loss after training, NaN without a holdout
 * @param modelDir where the model was written, or null if it was not
 */
public record PretrainResult(
    TrainingResult training,
    int vocabSize,
    long parameters,
    int trainSequences,
    int copyDrillSequences,
    long trainTokens,
    long holdoutTokens,
    double initialHoldoutLoss,
    double finalHoldoutLoss,
    Path modelDir) {}
