/**
 * The measurements the notebooks show, as library calls that return tables and charts and that
 * the {@code bench} commands share: a fine-tuning run compared before and after ({@link
 * org.tuninglab.lesson.BeforeAfter}), methods side by side ({@link
 * org.tuninglab.lesson.FinetuneComparison}), the batch-size study, and the data lesson's learning
 * curve, corrupted labels and prompt-size cost ({@link org.tuninglab.lesson.LearningCurve}, {@link
 * org.tuninglab.lesson.PromptSizeStudy}). And what every notebook
 * shares: the switch in its first cell selecting model and device ({@link
 * org.tuninglab.lesson.Lab}), the exercises' self-checks ({@link org.tuninglab.lesson.SelfCheck}),
 * the fine-tuning sweep objective ({@link org.tuninglab.lesson.SftTrial}) and conclusions computed
 * from a run's numbers as {@link org.tuninglab.lesson.Markdown} ({@link
 * org.tuninglab.lesson.SweepReport}).
 */
package org.tuninglab.lesson;
