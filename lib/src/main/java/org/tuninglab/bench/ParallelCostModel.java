package org.tuninglab.bench;

import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.parallel.GpuMemory;
import org.tuninglab.parallel.GpuSpec;
import org.tuninglab.parallel.Link;
import org.tuninglab.parallel.MemoryPlan;
import org.tuninglab.parallel.MemoryPlanner;
import org.tuninglab.parallel.ParallelStrategy;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;

/**
 * Step time and memory per device for a model x method x strategy x device count x device.
 *
 * <p>Time: the step's matmul FLOPs ({@link StepFlops}, counted per sequence) divided among the
 * devices, times a time per FLOP (measured on this machine, or a GPU's datasheet peak times an
 * assumed utilisation), stretched by the pipeline bubble; plus the bytes each device sends at the
 * link's one-direction bandwidth, not overlapped with compute. Reductions are ring all-reduces,
 * {@code 2 (n-1)/n} of the reduced bytes per device. Data parallel reduces the trainable
 * gradients once a step; tensor parallel reduces a {@code (B, T, D)} activation twice a layer
 * forward and twice backward; pipeline parallel sends each boundary activation forward and its
 * gradient back. Memory: the {@link MemoryPlanner}'s peak for one device, its weights, gradients,
 * optimizer state and activations divided as the strategy divides them. Multi-node runs are
 * projected by the same formulas with the inter-node link's bandwidth; nothing multi-node is built.
 */
public final class ParallelCostModel {

  private ParallelCostModel() {}

  /** Matmul FLOPs of one training step on one sequence for the settings' method. */
  public static double flopsPerSequence(ModelConfig c, PlanSettings s) {
    MethodSpec method = s.method();
    LoraConfig lora =
        method instanceof MethodSpec.Lora l ? l.config()
            : method instanceof MethodSpec.QLora q ? q.config() : null;
    if (lora == null) {
      return StepFlops.fullFineTune(c, s.seqLen()).total();
    }
    Set<String> targets = new TreeSet<>();
    for (String t : lora.targetModules()) {
      if (t.equals(LoraConfig.ALL_LINEAR)) {
        targets.addAll(StepFlops.PROJECTIONS);
      } else {
        targets.add(t.substring(t.lastIndexOf('.') + 1));
      }
    }
    return StepFlops.lora(c, s.seqLen(), lora.r(), targets).total();
  }

  /**
   * Projects a step on GPUs.
   *
   * @param settings method, dtype, optimizer, the global batch as micro-batch, sequence length
   * @param utilisation the share of the datasheet peak the matmuls reach (e.g. 0.4)
   * @param microBatches the pipeline's micro-batches (ignored by the other strategies)
   */
  public static StepProjection onGpus(
      ModelConfig c, PlanSettings settings, ParallelStrategy strategy, int gpus, GpuSpec gpu,
      Link link, int microBatches, double utilisation) {
    double secondsPerFlop = 1 / (gpu.peakFlops(settings.dtype()) * utilisation);
    return project(c, settings, strategy, gpus, gpu.name(), gpu.memory(), link.label(),
        secondsPerFlop, gpu.bandwidth(link), microBatches);
  }

  /** Projects a step on any devices with a measured time per FLOP and a bandwidth. */
  public static StepProjection project(
      ModelConfig c, PlanSettings s, ParallelStrategy strategy, int n, String device,
      GpuMemory memory, String link, double secondsPerFlop, double bytesPerSecond,
      int microBatches) {
    if (n < 1 || microBatches < 1) {
      throw new IllegalArgumentException(
          "devices and micro-batches must be at least 1, got " + n + " and " + microBatches);
    }
    int batch = s.microBatch();
    double flops = flopsPerSequence(c, s) * batch / n;
    double ring = 2.0 * (n - 1) / n;
    long activation = (long) batch * s.seqLen() * c.hiddenSize() * s.dtype().bytes();
    MemoryPlan whole = MemoryPlanner.plan(c, s, memory);
    double bubble = 0;
    long bytes;
    long peak;
    switch (strategy) {
      case DATA -> {
        bytes = (long) (ring * whole.trainableParameters() * s.dtype().bytes());
        peak = MemoryPlanner.plan(c, s.withMicroBatch(ceil(batch, n)), memory).totalBytes();
      }
      case TENSOR -> {
        bytes = (long) (4.0 * c.numLayers() * ring * activation);
        peak = whole.totalBytes() / n;
      }
      case PIPELINE -> {
        bubble = (n - 1.0) / (microBatches + n - 1);
        bytes = n == 1 ? 0 : 2 * activation;
        MemoryPlan micro = MemoryPlanner.plan(c, s.withMicroBatch(ceil(batch, microBatches)), memory);
        peak = (whole.staticBytes() + whole.activationsBytes()) / n + micro.workspaceBytes();
      }
      default -> throw new IllegalArgumentException("unknown strategy " + strategy);
    }
    double compute = flops * secondsPerFlop / (1 - bubble);
    double comm = bytes / bytesPerSecond;
    return new StepProjection(strategy, n, device, link, flops, compute, bytes, comm, bubble,
        compute + comm, peak, peak <= memory.bytes());
  }

  private static int ceil(int a, int b) {
    return (a + b - 1) / b;
  }
}
