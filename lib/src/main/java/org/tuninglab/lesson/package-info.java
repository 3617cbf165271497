/**
 * The measurements the notebooks show, shared with the {@code bench} commands: a fine-tuning run
 * compared before and after ({@link org.tuninglab.lesson.BeforeAfter}) and methods side by side
 * ({@link org.tuninglab.lesson.FinetuneComparison}), each with its table and chart.
 */
package org.tuninglab.lesson;
