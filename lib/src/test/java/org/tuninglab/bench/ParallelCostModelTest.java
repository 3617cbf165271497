package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.Collections;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.parallel.ComputeDtype;
import org.tuninglab.parallel.DataParallel;
import org.tuninglab.parallel.GpuSpec;
import org.tuninglab.parallel.Link;
import org.tuninglab.parallel.MemoryPlanner;
import org.tuninglab.parallel.ParallelStrategy;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.parallel.TensorParallel;
import org.tuninglab.parallel.TokenRows;
import org.tuninglab.peft.FullFineTune;

/** The cost model's terms against hand-computed values on a small config. */
class ParallelCostModelTest {
  private static final ModelConfig C = ParallelBenchmark.MEASURED; // D=128, 4 layers
  private static final GpuSpec A100 = GpuSpec.parse("a100-40gb");

  @Test
  void oneGpuHasNoTrafficAndTheFullPlan() {
    PlanSettings s = ParallelBenchmark.plan(false, ComputeDtype.BF16, 8, 64);
    StepProjection p =
        ParallelCostModel.onGpus(C, s, ParallelStrategy.DATA, 1, A100, Link.NVLINK, 1, 0.5);
    assertEquals(0, p.bytesPerDevice());
    assertEquals(MemoryPlanner.plan(C, s, A100.memory()).totalBytes(), p.memoryPerDevice());
    double flops = StepFlops.fullFineTune(C, 64).total() * 8.0;
    assertEquals(flops / (312e12 * 0.5), p.computeSeconds(), 1e-15);
  }

  @Test
  void eachStrategyMovesItsTextbookBytes() {
    PlanSettings s = ParallelBenchmark.plan(false, ComputeDtype.BF16, 8, 64);
    long trainable = MemoryPlanner.plan(C, s, A100.memory()).trainableParameters();
    long activation = 8L * 64 * 128 * 2; // (B, T, D) bf16
    StepProjection data =
        ParallelCostModel.onGpus(C, s, ParallelStrategy.DATA, 4, A100, Link.NVLINK, 1, 0.4);
    assertEquals((long) (1.5 * trainable * 2), data.bytesPerDevice()); // ring: 2 (n-1)/n
    StepProjection tensor =
        ParallelCostModel.onGpus(C, s, ParallelStrategy.TENSOR, 4, A100, Link.PCIE, 1, 0.4);
    assertEquals((long) (4 * 4 * 1.5 * activation), tensor.bytesPerDevice());
    assertEquals(tensor.bytesPerDevice() / 32e9, tensor.commSeconds(), 1e-12);
    StepProjection pipeline =
        ParallelCostModel.onGpus(C, s, ParallelStrategy.PIPELINE, 4, A100, Link.NVLINK, 8, 0.4);
    assertEquals(3.0 / 11, pipeline.bubble(), 1e-12);
    assertEquals(2 * activation, pipeline.bytesPerDevice());
    // The bubble stretches compute: same FLOPs per GPU as tensor parallel, 11/8 the time.
    assertEquals(tensor.computeSeconds() * 11 / 8, pipeline.computeSeconds(), 1e-12);
    assertTrue(tensor.memoryPerDevice() < data.memoryPerDevice());
  }

  @Test
  void nvlinkBeatsPcieOnlyInCommunication() {
    PlanSettings s = ParallelBenchmark.plan(true, ComputeDtype.BF16, 8, 64);
    StepProjection nv =
        ParallelCostModel.onGpus(C, s, ParallelStrategy.TENSOR, 2, A100, Link.NVLINK, 1, 0.4);
    StepProjection pcie =
        ParallelCostModel.onGpus(C, s, ParallelStrategy.TENSOR, 2, A100, Link.PCIE, 1, 0.4);
    assertEquals(nv.computeSeconds(), pcie.computeSeconds());
    assertEquals(300.0 / 32, pcie.commSeconds() / nv.commSeconds(), 1e-9);
  }

  /**
   * The cost model's bytes per device against what the parallel training code counted on two
   * CPU devices: the non-root device sends a ring all-reduce's share for data parallel, and the
   * model's four activation reductions a layer for tensor parallel (plus the norms' gradients,
   * which the model leaves out).
   */
  @Test
  void bytesMatchWhatTheTrainingCodeCounts() throws IOException {
    ModelConfig c = ParallelBenchmark.MEASURED;
    PlanSettings s = ParallelBenchmark.plan(false, ComputeDtype.FP32, 4, 16);
    Random random = new Random(1);
    RandomTokenBatch b = RandomTokenBatch.next(random, 4, 16, c.vocabSize());
    TokenRows rows = new TokenRows(b.inputs(), b.labels(), 4, 16);
    var two = Collections.nCopies(2, Device.cpu());
    try (var model = LlamaModel.create(c,
            RandomWeights.forTraining(3, 0.05), Device.cpu(),
            DataType.FLOAT32);
        var full = FullFineTune.apply(model)) {
      try (var data = new DataParallel(full, two)) {
        long counted = data.step(rows, 0).devices().get(1).sentBytes();
        StepProjection p =
            ParallelCostModel.onGpus(c, s, ParallelStrategy.DATA, 2, A100, Link.NVLINK, 1, 0.4);
        assertEquals(p.bytesPerDevice(), counted);
      }
      try (var tensor = new TensorParallel(full, two)) {
        long counted = tensor.step(rows, 0).devices().get(1).sentBytes();
        StepProjection p =
            ParallelCostModel.onGpus(c, s, ParallelStrategy.TENSOR, 2, A100, Link.NVLINK, 1, 0.4);
        long norms = 2L * c.numLayers() * c.hiddenSize() * 4;
        assertEquals(p.bytesPerDevice() + norms, counted);
      }
    }
  }
}
