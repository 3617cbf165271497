package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FinetuneConclusionTest {
  private static final ExtractionScore NONE = new ExtractionScore(20, 0, 0, 0);

  @Test
  void oneRunReadsItsOwnNumbers() {
    Measurement before = new Measurement(6.99, null, NONE, 1.45);
    Measurement after = new Measurement(0.52, null, new ExtractionScore(20, 0.05, 0.9, 0.31), 1.6);

    String text = FinetuneConclusion.of(before, after).text();

    assertTrue(text.contains("from 6.990 to 0.520"), text);
    assertTrue(text.contains("valid JSON went from 0% to 90%"), text);
    assertTrue(text.contains("entity F1 from 0.00 to 0.31"), text);
    assertTrue(text.contains("rose from 1.450 to 1.600: the model forgot some of its general text"
        + " (a story token is now 1.16 times less likely on average)"), text);
    String worse = FinetuneConclusion.of(before, new Measurement(0.52, null, NONE, 5.65)).text();
    assertTrue(worse.contains("forgot much of its general text (a story token is now 66.7 times less likely"),
        worse);
  }

  @Test
  void aRunThatDidNotForgetSaysSo() {
    Measurement before = new Measurement(6.99, null, NONE, 1.6);
    Measurement after = new Measurement(0.52, null, NONE, 1.5);

    assertTrue(FinetuneConclusion.of(before, after).text().contains("fell from 1.600 to 1.500: no forgetting"));
  }

  @Test
  void methodsAreRankedByTaskLossForgettingAndTime() {
    List<FinetuneComparison.Row> rows = List.of(
        new FinetuneComparison.Row("full.yaml", "full", 1_312_384, 28, 7.0, 0.4, NONE, NONE, 0.95, 1.63),
        new FinetuneComparison.Row("lora.yaml", "lora", 200_000, 74, 7.0, 2.4, NONE, NONE, 0.95, 1.91),
        new FinetuneComparison.Row("prompt.yaml", "prompt", 2_560, 20, 7.0, 3.1, NONE, NONE, 0.95, 0.96));

    String text = FinetuneConclusion.of(rows).text();

    assertTrue(text.contains("full reached the lowest task loss (0.400, from 7.000 before)"), text);
    assertTrue(text.contains("prompt forgot least: its story loss rose by 0.010"), text);
    assertTrue(text.contains("took 74 s against 28 s: 2.6× as long as the full fine-tune"), text);
    assertTrue(text.contains("1,312,384"), text);

    List<FinetuneComparison.Row> alike = List.of(rows.get(0),
        new FinetuneComparison.Row("lora.yaml", "lora", 200_000, 27, 7.0, 2.4, NONE, NONE, 0.95, 1.91));
    assertTrue(FinetuneConclusion.of(alike).text().contains("took 27 s against 28 s: about as long as the full fine-tune."),
        FinetuneConclusion.of(alike).text());
  }

  @Test
  void withoutBothLoraAndFullThereIsNoTimeRatio() {
    List<FinetuneComparison.Row> rows = List.of(
        new FinetuneComparison.Row("lora.yaml", "lora", 200, 60, 7.0, 2.4, NONE, NONE, Double.NaN, Double.NaN));

    String text = FinetuneConclusion.of(rows).text();

    assertFalse(text.contains("forgot least"), text);
    assertFalse(text.contains(" as long as"), text);
    assertEquals("**In this run** lora reached the lowest task loss (2.400, from 7.000 before).", text);
    assertThrows(IllegalArgumentException.class, () -> FinetuneConclusion.of(List.of()));
  }
}
