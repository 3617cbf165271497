package org.tuninglab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.prompt.JsonShape;

class ReplyMetricsTest {
  private static final LabelledExample E = LabelledExample.of("1", "q", "r");

  @Test
  void jsonValidityChecksParseAndShape() {
    JsonValidity any = JsonValidity.any();
    assertEquals("json_valid", any.name());
    assertEquals(1.0, any.score(E, "Here: {\"a\": 1}"));
    assertEquals(0.0, any.score(E, "{\"a\": 1,}"));
    assertEquals(0.0, any.score(E, "no json"));
    JsonValidity shaped =
        JsonValidity.of(
            JsonShape.object(Map.of("entities", JsonShape.arrayOf(JsonShape.string()))));
    assertEquals(1.0, shaped.score(E, "{\"entities\": [\"a\"]}"));
    assertEquals(0.0, shaped.score(E, "{\"entities\": [1]}"));
    // Mean of 1, 0, 1, 0 through the reply metric's totals.
    double[] totals = new double[2];
    for (String r : List.of("[]", "{", "{}", "")) {
      double[] t =
          any.score(new ExampleReply(E, "s", List.of(), 0, r, null, null, 0, 0, 0)).totals();
      totals[0] += t[0];
      totals[1] += t[1];
    }
    assertEquals(0.5, any.aggregate(totals, 4));
  }

  @Test
  void refusalMatchesDocumentedPhrasesIgnoringCaseAndCurlyApostrophes() {
    Refusal refusal = Refusal.withDefaultPhrases();
    assertEquals("refusal", refusal.name());
    assertFalse(refusal.higherIsBetter());
    assertEquals(1.0, refusal.score(E, "I’m sorry, but I can’t help with that."));
    assertEquals(1.0, refusal.score(E, "As an   AI, I must decline."));
    assertEquals(0.0, refusal.score(E, "The capital is Paris."));
    Refusal custom = Refusal.withPhrases(List.of("Not Allowed"));
    assertEquals(1.0, custom.score(E, "That is NOT allowed here"));
    assertEquals(0.0, custom.score(E, "I'm sorry"));
    assertThrows(IllegalArgumentException.class, () -> Refusal.withPhrases(List.of(" ")));
    assertThrows(IllegalArgumentException.class, () -> Refusal.withPhrases(List.of()));
  }
}
