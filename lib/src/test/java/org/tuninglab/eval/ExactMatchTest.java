package org.tuninglab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExactMatchTest {

  @Test
  void normalisationFoldsCaseWhitespaceAndPunctuationButKeepsNumbers() {
    assertEquals("paris", ExactMatch.normalize("  Paris. "));
    assertEquals("new york city", ExactMatch.normalize("New\tYork -- City!"));
    assertEquals("it s 3.5 not 35", ExactMatch.normalize("It's 3.5, not 35."));
    assertEquals("1000", ExactMatch.normalize("1,000"));
    assertEquals("-7 and x 7", ExactMatch.normalize("-7 and x-7"));
    assertEquals("", ExactMatch.normalize("?!"));
  }

  @Test
  void normalizedMatchScoresOneOnlyForTheSameNormalForm() {
    ExactMatch em = ExactMatch.normalized();
    LabelledExample e = LabelledExample.of("1", "Capital of France?", "Paris");
    assertEquals("exact_match", em.name());
    assertEquals(1.0, em.score(e, "paris!"));
    assertEquals(1.0, em.score(e, " PARIS "));
    assertEquals(0.0, em.score(e, "It is Paris."));
    assertEquals(0.0, em.score(e, "Pari"));
  }

  @Test
  void numbersAreExtractedFromBoxedThenAnswerIsThenTheLastNumber() {
    assertEquals(Optional.of(new BigDecimal("42")), ExactMatch.extractNumber("6*7 = 42"));
    assertEquals(
        Optional.of(new BigDecimal("42")),
        ExactMatch.extractNumber("The answer is 42. We checked 3 cases."));
    assertEquals(
        Optional.of(new BigDecimal("-3.5")),
        ExactMatch.extractNumber("First 2, then... Answer: -3.5, since 7 > 1"));
    assertEquals(
        Optional.of(new BigDecimal("12")),
        ExactMatch.extractNumber("So $x = \\boxed{12}$ and the answer is 13"));
    assertEquals(
        Optional.of(new BigDecimal("1234567")), ExactMatch.extractNumber("about 1,234,567 people"));
    assertEquals(Optional.empty(), ExactMatch.extractNumber("no digits here"));
  }

  @Test
  void numericMatchComparesValues() {
    ExactMatch em = ExactMatch.numericAnswer();
    LabelledExample e = LabelledExample.of("m1", "6*7?", "We multiply: 6*7 = \\boxed{42}");
    assertEquals("numeric_match", em.name());
    assertEquals(1.0, em.score(e, "The answer is 42.0"));
    assertEquals(1.0, em.score(e, "42"));
    assertEquals(0.0, em.score(e, "The answer is 41, not 42? No: 41."));
    assertEquals(0.0, em.score(e, "I don't know"));
  }

  @Test
  void aNumericMatchNeedsANumberInEveryReference() {
    List<LabelledExample> set =
        List.of(LabelledExample.of("ok", "q", "7"), LabelledExample.of("q9", "q", "seven"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExactMatch.numericAnswer().check(set));
    assertTrue(e.getMessage().contains("example 'q9'"), e.getMessage());
    assertTrue(e.getMessage().contains("field 'reference'"), e.getMessage());
    ExactMatch.normalized().check(set); // text matching needs no number
  }
}
