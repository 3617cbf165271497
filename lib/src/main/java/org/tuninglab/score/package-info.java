/**
 * Scoring, below training: the forward-pass contract every model and fine-tuning method meets
 * ({@link org.tuninglab.score.ForwardPass}), the next-token loss and its ignore label
 * ({@link org.tuninglab.score.TokenCrossEntropy}), the mean loss over a data set
 * ({@link org.tuninglab.score.HoldoutLoss}) and no-grad scopes. {@code data}, {@code chat},
 * {@code eval} and {@code train} all use it, so none of them needs {@code train}.
 */
package org.tuninglab.score;
