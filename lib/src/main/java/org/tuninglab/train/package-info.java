/**
 * Training: the language-modelling loss, AdamW, learning-rate schedules, clipping and loss
 * scaling, the {@link org.tuninglab.train.Trainer} loop (accumulation, evaluation, checkpoints,
 * resume, early stopping), listeners, and the flat {@link org.tuninglab.train.SftRecipe} driven by
 * an {@link org.tuninglab.train.SftConfig}.
 */
package org.tuninglab.train;
