/**
 * Training: objectives ({@link org.tuninglab.train.TrainingObjective}, SFT's token cross-entropy
 * as {@link org.tuninglab.train.SftObjective}), AdamW, learning-rate schedules, clipping and loss
 * scaling, one update ({@link org.tuninglab.train.TrainingStep}), the {@link
 * org.tuninglab.train.Trainer} loop (accumulation, evaluation, checkpoints, resume, early
 * stopping), listeners, and the flat recipes over it: {@link org.tuninglab.train.SftRecipe} driven
 * by an {@link org.tuninglab.train.SftConfig}, and {@link org.tuninglab.train.DpoRecipe} (DPO, IPO,
 * SimPO through {@link org.tuninglab.train.DpoObjective}) driven by a {@link
 * org.tuninglab.train.DpoConfig}; a config file's {@code stage} ({@link
 * org.tuninglab.train.TrainingStage}) says which.
 */
package org.tuninglab.train;
