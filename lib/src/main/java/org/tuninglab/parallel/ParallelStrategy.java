package org.tuninglab.parallel;

/** The three ways one node's devices share a training step, with the slides' words for each. */
public enum ParallelStrategy {
  DATA(
      "the batch: a full replica per device",
      "models that fit on one device; more throughput",
      "simple; only gradients cross devices, once per step",
      "every device holds the whole model, gradients and optimizer state"),
  PIPELINE(
      "the layers: consecutive blocks per device",
      "models too deep for one device; slow links",
      "weights and optimizer state divide by the device count; only boundary activations move",
      "idle bubble (p-1)/(m+p-1) unless many micro-batches; activations of all micro-batches held"),
  TENSOR(
      "each layer: attention heads and MLP columns/rows per device",
      "layers too wide for one device; fast links (NVLink) inside a node",
      "weights, optimizer state and per-layer activations divide; no bubble",
      "two all-reduces per layer forward and backward: needs the fastest links");

  private final String splits;
  private final String bestFor;
  private final String pros;
  private final String cons;

  ParallelStrategy(String splits, String bestFor, String pros, String cons) {
    this.splits = splits;
    this.bestFor = bestFor;
    this.pros = pros;
    this.cons = cons;
  }

  public String splits() {
    return splits;
  }

  public String bestFor() {
    return bestFor;
  }

  public String pros() {
    return pros;
  }

  public String cons() {
    return cons;
  }

  /** Lower-case name: data, pipeline, tensor. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
