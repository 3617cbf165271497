package org.tuninglab.data;

/**
 * One token of an encoded example, for inspection.
 *
 * @param position the 0-based position
 * @param id the token id
 * @param text the token's vocabulary piece (for example {@code "Ġworld"})
 * @param trained whether the model learns to produce this token
 * @param label the label at this position: the id of the next token if that one is trained, else
 *     -100
 */
public record TokenRow(int position, int id, String text, boolean trained, long label) {}
