/**
 * The measurements the notebooks show, as library calls that return tables and charts and that
 * the {@code bench} commands share: a fine-tuning run compared before and after ({@link
 * org.tuninglab.lesson.BeforeAfter}), methods side by side ({@link
 * org.tuninglab.lesson.FinetuneComparison}), and the batch-size study.
 */
package org.tuninglab.lesson;
