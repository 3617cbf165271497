package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DPO step cost's three children on the embedded model: rows, timings and peaks of each. */
class DpoStepCostTest {

  @TempDir Path tmp;

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void eachVariantRunsInItsOwnMeasuringChild() throws Exception {
    // The shipped DPO preset, on the embedded base model instead of the SFT model it expects.
    String preset = Files.readString(ROOT.resolve("configs/tuninglab-tiny-dpo-lora.yaml"))
        .replaceFirst("(?m)^model: .*$", "model: " + ROOT.resolve("models/tuninglab-tiny"))
        .replace("../", ROOT + "/")
        .replaceFirst("(?m)^output_dir: .*$", "output_dir: " + tmp.resolve("out"));
    Path config = Files.writeString(tmp.resolve("dpo.yaml"), preset);

    List<DpoStepCost.Row> rows = DpoStepCost.measure(config, 2, 1);

    assertEquals(DpoStepCost.VARIANTS, rows.stream().map(DpoStepCost.Row::variant).toList());
    assertEquals(List.of(2, 4, 4), rows.stream().map(DpoStepCost.Row::rows).toList());
    for (DpoStepCost.Row r : rows) {
      assertTrue(r.stepMs() > 0 && r.peakBytes() > 0, r.toString());
      assertEquals(r.variant().equals("dpo_precomputed"), r.precomputeSeconds() > 0, r.toString());
    }
  }
}
