package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.parallel.ComputeDtype;
import org.tuninglab.parallel.GpuMemory;
import org.tuninglab.parallel.MemoryPlan;
import org.tuninglab.parallel.MemoryPlanner;
import org.tuninglab.parallel.OptimizerKind;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;

class EfficiencyConclusionTest {

  private static BatchSizeStudy.Cell cell(int b, int k, long updates, double tokensPerSecond, long peak, double holdout) {
    return new BatchSizeStudy.Cell(b, k, 1e-3, updates, 10, tokensPerSecond, 0.5, peak, peak + 15_000_000, 2.0, holdout,
        List.of(), List.of());
  }

  @Test
  void theBatchConclusionNamesTheFastestAndBestCellsWithTheirNumbers() {
    var cells = List.of(cell(2, 1, 32, 1000, 40_000_000, 2.10), cell(2, 4, 8, 1100, 40_000_000, 2.40),
        cell(8, 1, 8, 3000, 90_000_000, 2.45), cell(8, 4, 2, 3300, 90_000_000, 2.90));
    String md = EfficiencyConclusion.batch(new BatchSizeStudy.Result(null, 100, cells, null)).text();
    assertTrue(md.startsWith("**In this run** b x k = 8 x 4 processed 3,300 tokens/s and 2 x 1 1,000 tokens/s (3.3×)."), md);
    assertTrue(md.contains("2 x 1 (32 updates) reached holdout loss 2.100 and 8 x 4 (2 updates) 2.900."), md);
    assertTrue(md.contains("for a micro-batch of 2 is 40 MB (measured 55 MB), for 8 90 MB (measured 105 MB)."), md);
    assertThrows(IllegalArgumentException.class,
        () -> EfficiencyConclusion.batch(new BatchSizeStudy.Result(null, 0, List.of(), null)));
  }

  @Test
  void thePlanConclusionSaysWhatFitsAndTheLargestMicroBatch() throws Exception {
    ModelConfig qwen = ModelConfig.load(Path.of("../configs/models/qwen2.5-0.5b.json"));
    LoraConfig lora = LoraConfig.builder().setR(16).setTargetModules(LoraConfig.ALL_LINEAR).build();
    List<MemoryPlan> plans = List.of(MethodSpec.full(), MethodSpec.lora(lora)).stream()
        .map(m -> MemoryPlanner.plan(qwen, new PlanSettings(m, ComputeDtype.BF16, OptimizerKind.ADAMW, 8, 512, false),
            GpuMemory.parse("a100-40gb")))
        .toList();
    String md = EfficiencyConclusion.plan(List.of("full", "LoRA"), plans).text();
    MemoryPlan full = plans.get(0);
    assertTrue(md.startsWith(String.format(java.util.Locale.ROOT, "**In this plan** full needs %.1f GiB and %s; the largest micro-batch that fits is %d. LoRA needs",
        full.totalBytes() / (double) (1L << 30), full.fits() ? "fits" : "does not fit", full.maxMicroBatch())), md);
    assertTrue(md.endsWith("the largest micro-batch that fits is " + plans.get(1).maxMicroBatch() + "."), md);
    assertEquals(2, md.split("needs").length - 1);
    assertThrows(IllegalArgumentException.class, () -> EfficiencyConclusion.plan(List.of("full"), plans));
  }
}
