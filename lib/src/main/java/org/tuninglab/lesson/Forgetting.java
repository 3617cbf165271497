package org.tuninglab.lesson;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Catastrophic forgetting: the general text's (story holdout's) loss per token before fine-tuning
 * and after each of two methods trained on the entity task at the same learning rate.
 *
 * @param lr the learning rate both runs used (the full preset's)
 * @param before the untuned model's loss
 * @param afterFull the loss after the full fine-tune
 * @param afterLora the loss after LoRA
 */
public record Forgetting(double lr, double before, double afterFull, double afterLora) {

  /** How much the full fine-tune raised the loss (negative: lowered it). */
  public double fullRise() {
    return afterFull - before;
  }

  /** How much LoRA raised the loss (negative: lowered it). */
  public double loraRise() {
    return afterLora - before;
  }

  /**
   * The three losses and the two rises as a notebook table.
   *
   * @param title the table's name
   * @return the table
   */
  public Table table(String title) {
    return Table.create(title,
        StringColumn.create("model", "before fine-tuning", "after the full fine-tune",
            "after LoRA at lr " + java.math.BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString()),
        DoubleColumn.create("story holdout loss", before, afterFull, afterLora),
        DoubleColumn.create("change", 0, fullRise(), loraRise()));
  }
}
