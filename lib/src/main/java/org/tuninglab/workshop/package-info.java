/**
 * What the workshop notebooks share: the one switch at the top of every notebook that selects the
 * model and device ({@link org.tuninglab.workshop.Lab}), presets and fresh folders found from any
 * notebook folder, the self-checks that end each exercise ({@link org.tuninglab.workshop.SelfCheck}),
 * the fine-tuning sweep objective ({@link org.tuninglab.workshop.SftTrial}) and the Markdown
 * conclusions computed from a run's own numbers.
 */
package org.tuninglab.workshop;
