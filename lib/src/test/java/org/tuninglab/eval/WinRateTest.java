package org.tuninglab.eval;

import org.tuninglab.eval.view.WinRateTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tuninglab.prompt.PromptTemplate;
import tech.tablesaw.api.Table;

class WinRateTest {
  private static final Pattern ANSWERS =
      Pattern.compile(
          "(?s)Reference answer:\\n(.*?)\\n\\nAnswer 1:\\n(.*?)\\n\\nAnswer 2:\\n(.*?)\\n\\n");

  /** A judge that prefers the answer containing the reference, and says "1" when unsure. */
  private static ScriptedChatModel fairJudge() {
    return ScriptedChatModel.byPrompt(
        "judge",
        prompt -> {
          Matcher m = ANSWERS.matcher(prompt);
          assertTrue(m.find(), prompt);
          boolean one = m.group(2).contains(m.group(1));
          boolean two = m.group(3).contains(m.group(1));
          return one == two ? "1" : one ? "Answer 1 is better." : "2";
        });
  }

  @Test
  void byMetricCountsWinsTiesAndLossesAndSkipsFailures() {
    // a1: both match (tie); a2, w1: tuned matches, base does not (wins); w2: base failed (skipped).
    WinRate w =
        EvalFixture.run().winRate("tuned", "base", Judge.byMetric(ExactMatch.numericAnswer()));
    assertEquals(new WinRate("tuned", "base", 2, 1, 0, 1), w);
    assertEquals(2.5 / 3, w.rate(), 1e-12);
    WinRate back =
        EvalFixture.run().winRate("base", "tuned", Judge.byMetric(ExactMatch.numericAnswer()));
    assertEquals(new WinRate("base", "tuned", 0, 1, 2, 1), back);
    // Lower is better for refusal: base refused a2, so it loses that one.
    assertEquals(
        new WinRate("base", "tuned", 0, 2, 1, 1),
        EvalFixture.run().winRate("base", "tuned", Judge.byMetric(Refusal.withDefaultPhrases())));
    assertEquals(
        "tuned vs base: 2 wins, 1 ties, 0 losses (win rate 0.833, 1 skipped)", w.toString());
  }

  @Test
  void theWinRateTableHasEveryPairOnce() {
    EvalResult result =
        EvalHarness.builder()
            .setExamples(EvalFixture.SET)
            .addStrategy(Strategy.plain("base", EvalFixture.base()))
            .addStrategy(Strategy.plain("tuned", EvalFixture.tuned()))
            .addStrategy(Strategy.plain("constant", ScriptedChatModel.byPrompt("c", p -> "8")))
            .build()
            .run();
    Table t = WinRateTable.of(result, Judge.byMetric(ExactMatch.numericAnswer()));
    assertEquals(List.of("base", "base", "tuned"), t.stringColumn("first").asList());
    assertEquals(List.of("tuned", "constant", "constant"), t.stringColumn("second").asList());
    // base vs constant "8": a1 base wins, a2 tie (both wrong), w1 constant wins, w2 skipped.
    assertEquals(List.of(0, 1, 2), t.intColumn("wins").asList());
    assertEquals(List.of(1, 1, 2), t.intColumn("ties").asList());
    assertEquals(List.of(2, 1, 0), t.intColumn("losses").asList());
    assertEquals(List.of(1, 1, 0), t.intColumn("skipped").asList());
    assertEquals(0.75, t.doubleColumn("win_rate").get(2), 1e-12);
  }

  @Test
  void aModelJudgeIsAskedInBothOrders() {
    ScriptedChatModel judge = fairJudge();
    WinRate w =
        EvalFixture.run()
            .winRate(
                "tuned",
                "base",
                Judge.byModel(judge, org.tuninglab.generate.GenerationConfig.greedy(4)));
    // a1: both contain 5, "1" in both orders cancels to a tie; a2, w1: tuned contains the answer.
    assertEquals(new WinRate("tuned", "base", 2, 1, 0, 1), w);
    assertEquals(6, judge.calls.size());
    String first = ScriptedChatModel.lastUser(judge.calls.get(0).messages());
    String swapped = ScriptedChatModel.lastUser(judge.calls.get(1).messages());
    assertTrue(first.contains("Answer 1:\nThe answer is 5.\n\nAnswer 2:\n5\n"), first);
    assertTrue(swapped.contains("Answer 1:\n5\n\nAnswer 2:\nThe answer is 5.\n"), swapped);
    assertEquals(EvalHarness.exampleSeed(0, "a1"), judge.calls.get(0).config().seed());
  }

  @Test
  void aJudgeThatAlwaysPicksThePositionProducesOnlyTies() {
    ScriptedChatModel biased = ScriptedChatModel.byPrompt("biased", p -> "1");
    WinRate w =
        EvalFixture.run()
            .winRate(
                "tuned",
                "base",
                Judge.byModel(biased, org.tuninglab.generate.GenerationConfig.greedy(4)));
    assertEquals(new WinRate("tuned", "base", 0, 3, 0, 1), w);
    assertEquals(0.5, w.rate());
  }

  @Test
  void judgeRepliesAreParsed() {
    assertEquals(Verdict.FIRST, ModelJudge.parse("1"));
    assertEquals(Verdict.SECOND, ModelJudge.parse("Answer 2 is better"));
    assertEquals(Verdict.TIE, ModelJudge.parse("TIE."));
    assertEquals(Verdict.TIE, ModelJudge.parse("They are equally good"));
    assertEquals(Verdict.TIE, ModelJudge.parse("10 out of 10"));
  }

  @Test
  void errors() {
    EvalResult result = EvalFixture.run();
    Judge judge = Judge.byMetric(ExactMatch.numericAnswer());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> result.winRate("tuned", "tuned", judge));
    assertTrue(e.getMessage().contains("cannot be compared with itself"));
    e = assertThrows(IllegalArgumentException.class, () -> result.winRate("tuned", "rag", judge));
    assertEquals("no strategy 'rag'; the run has [base, tuned]", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelJudge.builder()
                    .setModel(fairJudge())
                    .optPrompt(PromptTemplate.of("{first} vs {answer}")));
    assertTrue(e.getMessage().contains("[first, answer]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ModelJudge.builder().build());
    assertEquals("a judge model is required (setModel)", e.getMessage());
    assertTrue(Double.isNaN(new WinRate("a", "b", 0, 0, 0, 2).rate()));
  }
}
