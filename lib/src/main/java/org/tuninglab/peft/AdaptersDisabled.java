package org.tuninglab.peft;

/**
 * A scope in which a LoRA model runs as its base alone, restoring the adapters (and a merge) as
 * they were when it closes. Preference optimisation uses it for its reference model: with LoRA or
 * QLoRA the reference is the frozen base, so no second copy of the model is needed.
 *
 * <pre>{@code
 * try (AdaptersDisabled off = lora.adaptersDisabled()) {
 *   NDArray referenceLogits = lora.logits(ids, mask);
 * }
 * }</pre>
 */
public final class AdaptersDisabled implements AutoCloseable {
  private final LoraModel model;
  private final boolean wasEnabled;
  private final boolean wasMerged;

  AdaptersDisabled(LoraModel model) {
    this.model = model;
    this.wasEnabled = model.adaptersEnabled();
    this.wasMerged = model.layers().values().stream().anyMatch(LoraLinear::isMerged);
    model.disableAdapters();
  }

  /** Turns the adapters back on if they were on, and merges them again if they were merged. */
  @Override
  public void close() {
    if (wasEnabled) {
      model.enableAdapters();
    }
    if (wasMerged) {
      model.merge();
    }
  }
}
