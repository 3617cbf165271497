package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.eval.ExampleReply;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.rag.QuestionResult;
import org.tuninglab.rag.RetrievalMetrics;
import tech.tablesaw.api.Table;

class PromptingConclusionTest {

  private static final ExtractionScore TUNED = new ExtractionScore(40, 0.55, 0.95, 0.8123);

  @Test
  void aTechniqueThatHelpedIsSaidToWithItsFiguresAndTheTunedModelBesideIt() {
    Contrast prompting = new Contrast("valid-JSON rate", "poor prompt", 0.05, "improved prompt", 0.625, 40, "");
    assertEquals("**In this run** the improved prompt raised the base model's valid-JSON rate (0.050 → 0.625 on 40"
        + " texts). The fine-tuned model wrote valid JSON for 0.950 of the same texts, with only its training's"
        + " system prompt before the text.", PromptingConclusion.prompting(prompting, TUNED).text());
    Contrast fewShot = new Contrast("entity F1", "0-shot", 0.1, "3-shot", 0.6, 40, "");
    assertTrue(PromptingConclusion.fewShot(fewShot, TUNED).text().endsWith(
        "raised the base model's entity F1 (0.100 → 0.600 on 40 texts). The fine-tuned model reached 0.812 on the"
            + " same texts, above both prompted figures."), PromptingConclusion.fewShot(fewShot, TUNED).text());
  }

  @Test
  void keysTheModelHasMetAreReadAgainstTheTasksKeys() {
    Contrast fewShot = new Contrast("entity F1", "0-shot", 0.0, "3-shot", 0.196, 40, "");
    assertEquals("**In this run** renaming the task's keys to ones the model has met (names, towns, days),"
        + " in the examples and in the answers scored, raised 3-shot entity F1 (0.196 → 0.510 on 40 texts): the"
        + " examples are followed better when their keys already mean something to the model; still, they lifted"
        + " F1 over 0-shot by 0.196 under the task's keys against 0.510 under keys it has met, so three examples"
        + " taught it part of what a new key means.",
        PromptingConclusion.fewShotKeys(fewShot, 0.51).text());
    Contrast noLift = new Contrast("entity F1", "0-shot", 0.0, "3-shot", 0.02, 40, "");
    assertTrue(PromptingConclusion.fewShotKeys(noLift, 0.51).text().endsWith("mean something to the"
        + " model; three examples show it a format, they do not teach it what a new key means."),
        PromptingConclusion.fewShotKeys(noLift, 0.51).text());
    assertTrue(PromptingConclusion.fewShotKeys(fewShot, 0.2).text().endsWith("did not change 3-shot entity F1"
        + " (0.196 → 0.200 on 40 texts): the keys made no difference, so the examples taught the task's keys as"
        + " well as the model knew its own."), PromptingConclusion.fewShotKeys(fewShot, 0.2).text());
    assertTrue(PromptingConclusion.fewShotKeys(fewShot, 0.1).text().endsWith("so the task's keys are not what"
        + " limits few-shot here."), PromptingConclusion.fewShotKeys(fewShot, 0.1).text());
  }

  @Test
  void noChangeIsCalledAnAbsentEffectAndTheBenchNoteIsKept() {
    Contrast none = new Contrast("entity F1", "0-shot", 0.0, "3-shot", 0.02, 40,
        "3-shot: 40 of 40 prompts did not fit the model's context (scored as empty replies)");
    String md = PromptingConclusion.fewShot(none, new ExtractionScore(40, 0, 1, 0.01)).text();
    assertTrue(md.contains("three worked examples did not change the base model's entity F1 (0.000 → 0.020 on 40"
        + " texts): the effect did not appear on this model."), md);
    assertTrue(md.contains("level with the better prompted figure"), md);
    assertTrue(md.endsWith("Note: 3-shot: 40 of 40 prompts did not fit the model's context (scored as empty replies)."), md);
    Contrast worse = new Contrast("answer accuracy", "closed-book", 0.2, "top-3 retrieved", 0.1, 30, "");
    String rag = PromptingConclusion.rag(worse, new CitationRate(30, 2, 5, 4)).text();
    assertEquals("**In this run** putting the retrieved sections in the prompt lowered answer accuracy (0.200"
        + " closed-book → 0.100 grounded, 30 questions). Of 30 grounded answers, 5 cite a source and 4 cite only"
        + " sources they were given.", rag);
  }

  @Test
  void theTableHoldsBothConditionsAndTheTunedModelOnTheSameItems() {
    Table t = PromptingConclusion.table(
        new Contrast("entity F1", "0-shot", 0.1, "3-shot", 0.6, 40, ""), "fine-tuned (LoRA)", 0.8);
    assertEquals("entity F1, measured in this run", t.name());
    assertEquals(List.of("0-shot", "3-shot", "fine-tuned (LoRA)"), t.stringColumn("condition").asList());
    assertArrayEquals(new double[] {0.1, 0.6, 0.8}, t.doubleColumn("entity F1").asDoubleArray(), 1e-12);
    assertEquals(List.of("0-shot", "3-shot"),
        PromptingConclusion.table(new Contrast("entity F1", "0-shot", 0.1, "3-shot", 0.6, 40, ""))
            .stringColumn("condition").asList());
  }

  @Test
  void retrievalNamesTheBestAtTheSmallestAndLargestCutOff() {
    RetrievalMetrics bm1 = metrics("bm25", 1, 0.5);
    RetrievalMetrics bm3 = metrics("bm25", 3, 1.0);
    RetrievalMetrics de1 = metrics("dense", 1, 1.0);
    RetrievalMetrics de3 = metrics("dense", 3, 1.0);
    var r = new RetrievalComparison(List.of(1, 3), List.of(List.of(bm1, bm3), List.of(de1, de3)));
    assertEquals("**In this run**, over 2 questions, recall@1 is bm25 0.50, dense 1.00, so dense ranks best there;"
        + " recall@3 is bm25 1.00, dense 1.00, so bm25 ranks best there.", PromptingConclusion.retrieval(r).text());
  }

  @Test
  void citationsAreCountedOverAnsweredRepliesOnly() {
    LabelledExample q = LabelledExample.of("q", "How long?", "21 days.");
    List<ExampleReply> replies = List.of(
        reply(q, "21 days [1].", null), reply(q, "21 days [1][4].", null), reply(q, "21 days.", null),
        reply(q, null, "a prompt of 300 tokens fills the model's context of 256"));
    CitationRate c = CitationRate.of(replies, 3);
    assertEquals(new CitationRate(4, 1, 2, 1), c);
    assertEquals("4 grounded answers: 2 cite a source, 1 only sources they were given (1 prompts did not fit the"
        + " context)", c.toString());
  }

  private static RetrievalMetrics metrics(String name, int k, double recall) {
    List<QuestionResult> results = List.of(
        new QuestionResult("q1", "?", recall > 0 ? 1 : 0, recall, List.of()),
        new QuestionResult("q2", "?", recall > 0 ? 1 : 0, recall, List.of()));
    return RetrievalMetrics.of(name, k, results);
  }

  private static ExampleReply reply(LabelledExample e, String text, String error) {
    return new ExampleReply(e, "top-3 retrieved", List.of(), 0, text, error,
        text == null ? null : FinishReason.STOP_TOKEN, 0, 0, 0);
  }
}
