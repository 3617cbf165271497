package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractionScoreTest {
  private static final String REF =
      "{\"people\": [\"Anna\", \"Ben\"], \"places\": [\"Ashford\"], \"dates\": []}";

  @Test
  void scoresExactMatchValidityAndEntityF1() {
    ExtractionScore score =
        ExtractionScore.of(
            List.of(
                " " + REF + "\n", // exact after stripping: 3 of 3 right
                "{\"people\": [\"Anna\"], \"places\": [\"Riverton\"], \"dates\": []}", // 1 right, 1 wrong
                "{\"people\": [\"Anna\""), // not JSON: predicts nothing
            List.of(REF, REF, REF));
    assertEquals(3, score.examples());
    assertEquals(1.0 / 3, score.exactMatch(), 1e-12);
    assertEquals(2.0 / 3, score.validJson(), 1e-12);
    // 4 true positives of 5 predicted and 9 expected: precision 0.8, recall 4/9.
    double precision = 0.8;
    double recall = 4.0 / 9;
    assertEquals(2 * precision * recall / (precision + recall), score.entityF1(), 1e-12);
  }

  @Test
  void countsMustMatch() {
    assertThrows(IllegalArgumentException.class, () -> ExtractionScore.of(List.of("a"), List.of()));
  }
}
