/**
 * The measurements the notebooks show, as library calls that return tables and charts and that
 * the {@code bench} commands share: here the batch-size study.
 */
package org.tuninglab.lesson;
