package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  /** {@code --only} names cases as model/method/BxT; an unknown name is refused before any child starts. */
  @Test
  void onlyRefusesAnUnknownCaseAndListsTheNames() {
    assertEquals("10M/full/1x32", PlanCheck.cases().get(PlanCheck.cases().size() - 1).name());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlanCheck.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            List.of("10M/full/2x32")));
    assertTrue(e.getMessage().startsWith("--only: no case '10M/full/2x32'; the cases are"
        + " tiny/full/8x256, tiny/lora/8x256,"), e.getMessage());
    assertTrue(e.getMessage().endsWith("10M/full/1x32"), e.getMessage());
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }
}
