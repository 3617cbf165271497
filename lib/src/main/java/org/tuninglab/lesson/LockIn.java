package org.tuninglab.lesson;

import java.nio.file.Path;
import java.util.Objects;
import org.tuninglab.model.ModelConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Lock-in, measured: work on prompts carries over to another model, a fine-tune does not. The same
 * prompt pipeline answers the entity holdout on two models without a change; a LoRA adapter trained
 * on the base is loaded onto a model of other shapes (the loader refuses) and onto one of the same
 * shapes with other weights (it loads, and its score is measured there).
 *
 * @param pipeline entity F1 of one prompt pipeline on the base model, then on the other model
 * @param adapter the LoRA adapter's folder (PEFT's format), trained on the base
 * @param otherShapes a decoder of other dimensions than the base
 * @param otherShapesFrom where those dimensions come from, e.g. {@code
 *     configs/tuninglab-mix-pretrain.yaml}
 * @param refusal the loader's message for that decoder, or empty if it loaded the adapter
 * @param onItsBase the adapter's entity F1 on the base it was trained on
 * @param otherModelAlone the other model's entity F1 without the adapter
 * @param onOtherModel the adapter's entity F1 on the other model
 * @param items holdout items each F1 is measured on
 */
public record LockIn(
    Contrast pipeline, Path adapter, ModelConfig otherShapes, String otherShapesFrom,
    String refusal, double onItsBase, double otherModelAlone, double onOtherModel, int items) {

  /** Checks that every part is there. */
  public LockIn {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(adapter, "adapter");
    Objects.requireNonNull(otherShapes, "otherShapes");
    Objects.requireNonNull(otherShapesFrom, "otherShapesFrom");
    Objects.requireNonNull(refusal, "refusal");
  }

  /** True when the loader refused the adapter on the decoder of other shapes. */
  public boolean refused() {
    return !refusal.isEmpty();
  }

  /** The adapter's F1 on the other model minus on its own base (negative: it lost). */
  public double transferChange() {
    return onOtherModel - onItsBase;
  }

  /**
   * The adapter's three entity F1 figures as a notebook table (the loader's refusal is text:
   * {@link #refusal()}).
   *
   * @param title the table's name
   * @return the table
   */
  public Table table(String title) {
    return Table.create(title,
        StringColumn.create("model", "LoRA adapter on its own base", pipeline.second() + " alone",
            "LoRA adapter on the " + pipeline.second()),
        DoubleColumn.create("entity F1", onItsBase, otherModelAlone, onOtherModel));
  }
}
