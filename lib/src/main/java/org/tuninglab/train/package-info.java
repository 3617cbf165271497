/**
 * Training: objectives ({@link org.tuninglab.train.TrainingObjective}, SFT's token cross-entropy
 * as {@link org.tuninglab.train.SftObjective}), AdamW, learning-rate schedules, clipping and loss
 * scaling, one update ({@link org.tuninglab.train.TrainingStep}), the {@link
 * org.tuninglab.train.Trainer} loop (accumulation, evaluation, checkpoints, resume, early
 * stopping), listeners, and the flat {@link org.tuninglab.train.SftRecipe} driven by an {@link
 * org.tuninglab.train.SftConfig}.
 */
package org.tuninglab.train;
