package org.tuninglab.lesson;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One lesson's claim as two figures measured on the same held-out items: a rate or a score without
 * the lesson's technique and with it (poor vs improved prompt, 0-shot vs 3-shot, closed-book vs
 * retrieved), or before and after something happened to the model.
 *
 * @param measure what both figures are, e.g. {@code "valid-JSON rate"}
 * @param first the first condition's name, e.g. {@code "poor prompt"}
 * @param firstValue its figure, in [0, 1]
 * @param second the second condition's name
 * @param secondValue its figure, in [0, 1]
 * @param items held-out items each figure is measured on
 * @param note what else the run showed (prompts over the context, retrieval's hit rate), or empty
 */
public record Contrast(
    String measure, String first, double firstValue, String second, double secondValue, int items,
    String note) {

  /**
   * The smallest change of a rate or a score in [0, 1] that the lessons' conclusions read as a
   * difference: about one answer in 20, below which a few dozen held-out items cannot tell an effect
   * from chance.
   */
  static final double NOTICEABLE = 0.05;

  /** The second figure minus the first. */
  public double change() {
    return secondValue - firstValue;
  }

  /**
   * The same figures with one more note after any there are.
   *
   * @param more what to add, for example a diagnosis measured beside the two figures
   * @return the copy
   */
  public Contrast withNote(String more) {
    return new Contrast(measure, first, firstValue, second, secondValue, items,
        note.isEmpty() ? more : note + "; " + more);
  }

  /**
   * The two figures as a notebook table: one row per condition.
   *
   * @param title the table's name
   * @return the table
   */
  public Table table(String title) {
    return Table.create(title, StringColumn.create("condition", first, second),
        DoubleColumn.create(measure, firstValue, secondValue));
  }
}
