package org.tuninglab.parallel;

import org.tuninglab.model.LlamaWeights;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.ParameterReport;

/**
 * Plans a training step's memory on one GPU from a model's {@code config.json} alone.
 *
 * <p>Parameters are counted by {@link ParameterReport}; weights, gradients and the trainable
 * adapters are held in the plan's dtype (the NF4 base of QLoRA as codes and scales); AdamW keeps
 * two float32 moments and, for a half-precision model, a float32 master copy per trainable value.
 * Activations and workspace come from {@link ActivationInventory}. The step's peak is
 *
 * <pre>
 * weights + gradients + optimizer + max(activations + backward transient, optimizer phase)
 * </pre>
 *
 * <p>where the backward transient is the largest of the head's gradients, the last attention's,
 * and (QLoRA) one projection's NF4 unpacking arrays, and the optimizer phase is the trainer's
 * float32 gradient copies (half precision) plus AdamW's temporaries for its largest tensor.
 */
public final class MemoryPlanner {
  /** The largest micro-batch the search tries. */
  static final int MAX_SEARCHED_BATCH = 1 << 20;

  private MemoryPlanner() {}

  /**
   * The plan for {@code settings} on {@code gpu}, with the largest micro-batch that fits it.
   *
   * @param config the model's shape
   * @param settings method, dtype, optimizer, micro-batch, sequence length, checkpointing
   * @param gpu the GPU to fit
   */
  public static MemoryPlan plan(ModelConfig config, PlanSettings settings, GpuMemory gpu) {
    Peak peak = peak(config, settings);
    int max = largestFitting(config, settings, gpu.bytes());
    return new MemoryPlan(settings, gpu, peak.report.trainableParameters(),
        peak.report.totalParameters(), peak.weights, peak.gradients, peak.optimizer,
        peak.inventory.activationBytes(), peak.total - peak.staticBytes()
            - peak.inventory.activationBytes(), peak.total, peak.total <= gpu.bytes(), max,
        peak.inventory);
  }

  private record Peak(ParameterReport report, long weights, long gradients, long optimizer,
      ActivationInventory inventory, long total) {
    long staticBytes() {
      return weights + gradients + optimizer;
    }
  }

  private static Peak peak(ModelConfig config, PlanSettings s) {
    ParameterReport report = ParameterReport.of(config, s.method());
    int b = s.dtype().bytes();
    long trainable = report.trainableParameters();
    // ParameterReport counts float32: every dense value shrinks by (4 - b) bytes in the plan's dtype.
    long denseValues = report.totalParameters();
    if (s.method() instanceof MethodSpec.QLora) {
      for (long[] shape : LlamaWeights.projectionShapes(config).values()) {
        denseValues -= shape[0] * shape[1];
      }
    }
    long weights = report.weightBytes() - (4L - b) * denseValues;
    long gradients = trainable * b;
    long optimizer = trainable * 4L * (s.optimizer().states() + (s.dtype().isHalf() ? 1 : 0));
    ActivationInventory inventory = ActivationInventory.of(config, s, trainable);
    long transientBytes =
        Math.max(inventory.activationBytes() + inventory.backwardBytes(), inventory.optimizerBytes());
    return new Peak(report, weights, gradients, optimizer, inventory,
        weights + gradients + optimizer + transientBytes);
  }

  /** The largest micro-batch whose peak is at most {@code capacity}; 0 if none. */
  static int largestFitting(ModelConfig config, PlanSettings s, long capacity) {
    if (peak(config, s.withMicroBatch(1)).total > capacity) {
      return 0;
    }
    int fits = 1;
    int tooBig = 2;
    while (tooBig <= MAX_SEARCHED_BATCH && peak(config, s.withMicroBatch(tooBig)).total <= capacity) {
      fits = tooBig;
      tooBig *= 2;
    }
    if (tooBig > MAX_SEARCHED_BATCH) {
      return fits;
    }
    while (tooBig - fits > 1) {
      int mid = fits + (tooBig - fits) / 2;
      if (peak(config, s.withMicroBatch(mid)).total <= capacity) {
        fits = mid;
      } else {
        tooBig = mid;
      }
    }
    return fits;
  }
}
