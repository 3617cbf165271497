package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.ModelConfig;

/**
 * The methods benchmark at a tiny size, each method in a child JVM: what it counts, not how fast
 * it runs.
 */
class MethodsBenchmarkTest {
  private static final ModelConfig TINY =
      ModelConfig.builder().setVocabSize(64).setHiddenSize(32).setIntermediateSize(64)
          .setNumLayers(2).setNumHeads(4).optNumKvHeads(2).optMaxPositions(64).build();

  @Test
  void countsEachMethodOnTheSameModel() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MethodsBenchmark.Result r =
        MethodsBenchmark.run(
            new MethodsBenchmark.Settings(TINY, 2, 16, 2, 1, 4, 5, null),
            new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals(MethodsBenchmark.METHODS, r.rows().stream().map(MethodsBenchmark.Row::method).toList());
    long loraParams = 2 * (4 * (32 + 32) + 4 * (32 + 16)); // 2 layers x (q: 32 -> 32, v: 32 -> 16)
    assertEquals(TINY.parameterCount(), r.row("full").trainableParameters());
    assertEquals(loraParams, r.row("lora").trainableParameters());
    assertEquals(loraParams, r.row("qlora").trainableParameters());
    assertEquals(5 * 32, r.row("prompt").trainableParameters());
    for (MethodsBenchmark.Row row : r.rows()) {
      assertEquals(2 * 4 * row.trainableParameters(), row.optimizerStateBytes(), row.method());
      assertTrue(row.medianStepSeconds() > 0 && row.tokensPerSecond() > 0, row.toString());
      assertTrue(row.medianStepCpuSeconds() > 0, row.toString());
    }
    assertEquals(4 * TINY.parameterCount(), r.row("lora").baseWeightBytes());
    assertTrue(r.row("qlora").baseWeightBytes() < r.row("full").baseWeightBytes());
    assertTrue(r.qloraBaseRatio() <= 0.3, "NF4 holds about 4.1 bits a weight: " + r.qloraBaseRatio());
    assertEquals((double) loraParams / TINY.parameterCount(), r.loraOptimizerRatio(), 1e-12);
    // Each method ran in a JVM of its own, not this one. (Its peak memory at this size is within
    // the kernel's RSS counting slack, a few hundred KB, so only its presence is checked.)
    Set<Long> pids = new HashSet<>();
    for (MethodsBenchmark.Row row : r.rows()) {
      pids.add(row.processId());
      assertNotEquals(-1, row.peakMemoryBytes(), "measured on the CPU");
    }
    assertEquals(4, pids.size(), pids.toString());
    assertFalse(pids.contains(ProcessHandle.current().pid()));
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("LoRA step time / full") && table.contains("qlora"), table);
    // The reference was switched off (python null); the FLOP floor needs no process.
    assertNull(r.reference());
    assertEquals("reference not run: disabled", r.referenceNote());
    assertTrue(Double.isNaN(r.referenceLoraStepRatio()));
    assertEquals(StepFlops.loraFloor(TINY, 16, 4, Set.of("q_proj", "v_proj")), r.loraFlopFloor());
    assertTrue(table.contains("PyTorch eager reference: reference not run: disabled"), table);
    assertTrue(table.contains("LoRA/full floor from FLOPs"), table);
  }

  @Test
  void pytorchReferenceTimesBothMethodsAndTrainsWhatWeTrain() throws IOException {
    assumeTrue(hasTorch(), "/usr/bin/python3 cannot import torch (apt-get install python3-torch);"
        + " the PyTorch reference is not tested");
    MethodsBenchmark.Settings s =
        new MethodsBenchmark.Settings(TINY, 2, 16, 2, 1, 4, 5, "/usr/bin/python3");
    MethodsBenchmark.Reference ref = MethodsBenchmark.reference(s, 1);

    assertTrue(ref.fullMedianStepSeconds() > 0 && ref.loraMedianStepSeconds() > 0, ref.toString());
    String about = ref.description();
    assertTrue(about.startsWith("PyTorch ") && about.endsWith(", threads: 1"), about);
    assertEquals(MethodsBenchmark.measure("full", s).trainableParameters(),
        ref.fullTrainableParameters());
    assertEquals(MethodsBenchmark.measure("lora", s).trainableParameters(),
        ref.loraTrainableParameters());
  }

  @Test
  void aMissingInterpreterIsNamed() {
    MethodsBenchmark.Settings s =
        new MethodsBenchmark.Settings(TINY, 2, 16, 1, 0, 4, 5, "/nonexistent/python3");
    IOException e = assertThrows(IOException.class, () -> MethodsBenchmark.reference(s, 1));
    assertTrue(e.getMessage().contains("/nonexistent/python3 not found")
        && e.getMessage().contains("python3-torch"), e.getMessage());
  }

  private static boolean hasTorch() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void settingsSurviveTheTripToTheChildJvm() throws IOException {
    MethodsBenchmark.Settings s =
        new MethodsBenchmark.Settings(TINY, 2, 16, 3, 1, 4, 5, "/usr/bin/python3");
    assertEquals(s, MethodProcess.fromJson(MethodProcess.toJson(s)));
    s = new MethodsBenchmark.Settings(TINY, 2, 16, 3, 1, 4, 5, null);
    assertEquals(s, MethodProcess.fromJson(MethodProcess.toJson(s)));
  }

  @Test
  void aFailingChildIsReportedWithItsStatus() {
    IOException e =
        assertThrows(IOException.class,
            () -> MethodProcess.run(
                "dora", new MethodsBenchmark.Settings(TINY, 2, 16, 1, 0, 4, 5, null)));
    assertTrue(e.getMessage().contains("the dora benchmark") && e.getMessage().contains("status 1"),
        e.getMessage());
  }
}
