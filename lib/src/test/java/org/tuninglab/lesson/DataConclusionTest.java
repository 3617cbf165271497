package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataConclusionTest {

  private static DataRun run(int examples, int corrupted, double loss, double exact, double f1) {
    return new DataRun(examples + " examples", examples, corrupted, 30, loss,
        new ExtractionScore(40, exact, 1.0, f1), 12.0, Path.of("adapter"));
  }

  @Test
  void aRisingCurveSaysWhereItCameNearItsBestAndAFlatOneSaysItIsFlat() {
    String rising = DataConclusion.curve(List.of(run(400, 0, 1.2, 0.30, 0.80), run(10, 0, 2.5, 0.0, 0.20),
        run(100, 0, 1.4, 0.25, 0.78), run(50, 0, 1.9, 0.05, 0.50))).text();
    assertEquals("**In this run**, with 30 updates for every size, 10 examples reached entity F1 0.20 and"
        + " exact match 0%; 400 examples reached 0.80 and 30%. The best entity F1 was 0.80; 100"
        + " examples already came within 0.05 of it, and the larger sets added less than that. The"
        + " holdout's loss went from 2.500 at 10 examples to 1.200 at 400: more examples fitted the"
        + " unseen answers better, whether or not the scores show it.", rising);

    String flat = DataConclusion.curve(List.of(run(10, 0, 2.6, 0.0, 0.10), run(1440, 0, 2.4, 0.0, 0.12))).text();
    assertTrue(flat.contains("The curve is flat: every size scored within 0.02 of the others"), flat);
    assertTrue(flat.contains("loss went from 2.600 at 10 examples to 2.400 at 1440: more examples"), flat);
    String same = DataConclusion.curve(List.of(run(10, 0, 3.20, 0.0, 0.0), run(1440, 0, 3.26, 0.0, 0.0))).text();
    assertTrue(same.contains("3.260 at 1440: within 2 %, so at this budget the number of examples did not"), same);
    assertThrows(IllegalArgumentException.class, () -> DataConclusion.curve(List.of(run(10, 0, 1, 0, 0))));
  }

  @Test
  void corruptionIsReadFromTheScoresAndTheLoss() {
    DataRun clean = run(400, 0, 1.2, 0.30, 0.80);
    String worse = DataConclusion.corruption(clean, run(400, 100, 1.5, 0.10, 0.60)).text();
    assertTrue(worse.startsWith("**In this run** 100 of 400 completions were wrong. Entity F1 went from"
        + " 0.80 (clean) to 0.60, exact match from 30% to 10%, the holdout's loss from 1.200 to 1.500."), worse);
    assertTrue(worse.contains("learned some of the mistakes"), worse);
    String same = DataConclusion.corruption(clean, run(400, 100, 1.3, 0.29, 0.79)).text();
    assertTrue(same.contains("less than this holdout tells apart, but the loss rose"), same);
    String better = DataConclusion.corruption(clean, run(400, 100, 1.1, 0.40, 0.90)).text();
    assertTrue(better.contains("that is chance"), better);
  }

  @Test
  void theCostSaysTheRatiosAndWhenFewShotDidNotFit() {
    PromptCost tuned = new PromptCost("fine-tuned", 40, 40, 20, 100, 30, 0, 0.5);
    String md = DataConclusion.cost(new PromptSizeStudy(new PromptCost("3-shot", 40, 200, 30, 150, 30, 2, 0.1), tuned)).text();
    assertEquals("**In this run** the 3-shot prompt took 200 tokens against the fine-tuned model's 40:"
        + " 5.0× the tokens to read on every request. Reading the prompt (the time to the first token)"
        + " took 30 ms against 20 ms: 1.5× slower with the few-shot prompt. A whole answer took 150 ms"
        + " for 30 tokens against 100 ms for 30 tokens. 2 of 40 few-shot prompts did not leave room for"
        + " an answer in the context (left out of the times, scored as empty answers). Entity F1: 0.10"
        + " few-shot, 0.50 fine-tuned.", md);
    String shorter = DataConclusion.cost(new PromptSizeStudy(new PromptCost("3-shot", 40, 200, 20.4, 50, 8, 0, 0.1), tuned)).text();
    assertTrue(shorter.contains("20 ms against 20 ms: about the same. A whole answer took 50 ms for 8 tokens against"
        + " 100 ms for 30 tokens: the answers' lengths, not the prompts, decide the whole time here."), shorter);
    String none = DataConclusion.cost(new PromptSizeStudy(
        new PromptCost("3-shot", 40, 260, Double.NaN, Double.NaN, Double.NaN, 40, 0.0), tuned)).text();
    assertTrue(none.contains("None of the 40 few-shot prompts left room"), none);
  }
}
