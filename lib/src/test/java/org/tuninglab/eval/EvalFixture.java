package org.tuninglab.eval;

import java.util.List;
import java.util.Map;

/**
 * A four-question set in two categories and two scripted systems with hand-known outcomes.
 *
 * <pre>
 * id  reference  base (plain prompt)             tuned (plain prompt)
 * a1  5          "5"                    match    "The answer is 5."  match
 * a2  42         "I'm sorry, I cannot"  refusal  "42"                match
 * w1  8          "Spiders have 6 legs"  wrong    "8"                 match
 * w2  2          (the model fails)      failed   "Mars has 3 moons"  wrong
 * </pre>
 */
final class EvalFixture {
  static final List<LabelledExample> SET =
      List.of(
          new LabelledExample("a1", "What is 2+3?", Map.of("unit", "none"), "5", null, "arith"),
          new LabelledExample("a2", "What is 6*7?", Map.of("unit", "none"), "42", null, "arith"),
          new LabelledExample(
              "w1",
              "How many legs does a spider have?",
              Map.of("unit", "legs"),
              "8",
              null,
              "world"),
          new LabelledExample(
              "w2", "How many moons does Mars have?", Map.of("unit", "moons"), "2", null, "world"));

  private static final Map<String, String> BASE =
      Map.of(
          "What is 2+3?", "5",
          "What is 6*7?", "I'm sorry, I cannot do that.",
          "How many legs does a spider have?", "Spiders have 6 legs",
          "How many moons does Mars have?", ScriptedChatModel.FAIL);
  private static final Map<String, String> TUNED =
      Map.of(
          "What is 2+3?", "The answer is 5.",
          "What is 6*7?", "42",
          "How many legs does a spider have?", "8",
          "How many moons does Mars have?", "Mars has 3 moons");

  private EvalFixture() {}

  static ScriptedChatModel base() {
    return ScriptedChatModel.byPrompt("base", BASE::get);
  }

  static ScriptedChatModel tuned() {
    return ScriptedChatModel.byPrompt("tuned", TUNED::get);
  }

  static EvalResult run() {
    return EvalHarness.builder()
        .setExamples(SET)
        .addStrategy(Strategy.plain("base", base()))
        .addStrategy(Strategy.plain("tuned", tuned()))
        .addMetric(ExactMatch.numericAnswer())
        .addMetric(Refusal.withDefaultPhrases())
        .optSeed(7)
        .build()
        .run();
  }
}
