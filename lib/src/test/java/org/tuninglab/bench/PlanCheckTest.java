package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PlanCheckTest {
  /**
   * The planner against a real training step of LoRA on the tiny model (8 x 256 tokens, where the
   * attention scores dominate), measured in a child JVM as live bytes: within 15 %, and the
   * activation inventory within 5 % of what one forward pass added.
   */
  @Test
  void plannerMatchesTheMeasuredPeakOfTinyLora() throws IOException {
    int index = 1;
    assertEquals("tiny", PlanCheck.cases().get(index).label());
    assertEquals("lora", PlanCheck.cases().get(index).method().name());
    PlanCheck.Row row = PlanCheck.measure(index, false);
    assertTrue(Math.abs(row.ratio() - 1) <= 0.15, row.toString());
    assertTrue(Math.abs(row.activationRatio() - 1) <= 0.05, row.toString());
  }
}
