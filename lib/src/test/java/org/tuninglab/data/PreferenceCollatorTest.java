package org.tuninglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.HfTokenizer;
import tech.tablesaw.api.Table;

class PreferenceCollatorTest {
  private static HfTokenizer tokenizer;
  private static PreferenceCollator collator;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = BpeFixture.tokenizer();
    collator =
        PreferenceCollator.builder()
            .setTokenizer(tokenizer)
            .setChatTemplate(BpeFixture.template())
            .optSystemPrompt("Solve.")
            .setMaxLength(160)
            .build();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static String text(EncodedExample e, boolean trained) {
    return BpeFixture.text(tokenizer, e, trained);
  }

  @Test
  void bothSidesShareThePromptAndTrainOnlyTheirAnswerWithItsEndOfTurn() {
    EncodedPair pair = collator.encode(PreferencePair.of("hi", "hello world", "go"));
    String prompt =
        "<|im_start|>system\nSolve.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
    assertEquals(prompt, text(pair.chosen(), false));
    assertEquals(prompt, text(pair.rejected(), false));
    assertEquals("hello world<|im_end|>\n", text(pair.chosen(), true));
    assertEquals("go<|im_end|>\n", text(pair.rejected(), true));
    int promptTokens = collator.promptLength(PreferencePair.of("hi", "hello world", "go"));
    assertArrayEquals(
        Arrays.copyOf(pair.chosen().ids(), promptTokens), Arrays.copyOf(pair.rejected().ids(), promptTokens));
    assertTrue(PairInspector.sharedPrefix(pair) >= promptTokens);
    assertTrue(Arrays.stream(pair.chosen().ids()).anyMatch(id -> id == BpeFixture.IM_END));
  }

  @Test
  void aBatchHoldsTheChosenRowsThenTheRejectedRows() {
    List<EncodedPair> pairs =
        collator.encodeAll(
            List.of(
                PreferencePair.of("hi", "hello world", "go"),
                new PreferencePair(
                    List.of(ChatMessage.user("a"), ChatMessage.assistant("b"), ChatMessage.user("c")),
                    "yes",
                    "no thanks",
                    Map.of(),
                    "chat:1")));
    try (NDManager m = NDManager.newBaseManager()) {
      PreferenceBatch batch = collator.collate(pairs, m);
      assertEquals(2, batch.size());
      assertEquals(pairs, batch.pairs());
      assertEquals(List.of("inline", "chat:1"), batch.origins());
      long[] shape = batch.rows().inputIds().getShape().getShape();
      assertEquals(4, shape[0]);
      long[] labels = batch.rows().labels().toLongArray();
      long[] ids = batch.rows().inputIds().toLongArray();
      int width = (int) shape[1];
      List<EncodedExample> order =
          List.of(pairs.get(0).chosen(), pairs.get(1).chosen(), pairs.get(0).rejected(), pairs.get(1).rejected());
      int trained = 0;
      for (int r = 0; r < 4; r++) {
        EncodedExample e = order.get(r);
        long[] expected = e.labels();
        for (int t = 0; t < width; t++) {
          long label = labels[r * width + t];
          assertEquals(t < e.length() ? expected[t] : TokenCrossEntropy.IGNORE, label);
          if (t < e.length()) {
            assertEquals(e.ids()[t], ids[r * width + t]);
          }
          trained += label == TokenCrossEntropy.IGNORE ? 0 : 1;
        }
      }
      assertEquals(trained, batch.rows().trainedTokens());
    }
    // In a multi-turn prompt only the final answer is trained, not the earlier assistant turn.
    assertEquals("yes<|im_end|>\n", text(pairs.get(1).chosen(), true));
  }

  @Test
  void longAnswersAreCutAndTooLongPromptsRejected() {
    EncodedPair pair = collator.encode(PreferencePair.of("hi", "long answer ".repeat(80), "short"));
    assertEquals(160, pair.chosen().length());
    assertTrue(pair.chosen().cutTokens() > 0);
    assertEquals(0, pair.rejected().cutTokens());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> collator.encode(PreferencePair.of("word ".repeat(100), "a", "b")));
    assertTrue(e.getMessage().startsWith("inline: field \"prompt\""), e.getMessage());
  }

  @Test
  void theInspectorShowsBothSidesSideBySide() {
    EncodedPair pair = collator.encode(PreferencePair.of("hi", "hello world", "go"));
    Table table = PairInspector.table(pair, tokenizer);
    assertEquals(
        List.of("position", "chosen", "chosen_trained", "rejected", "rejected_trained", "same"),
        table.columnNames());
    assertEquals(Math.max(pair.chosen().length(), pair.rejected().length()), table.rowCount());
    int shared = PairInspector.sharedPrefix(pair);
    assertTrue(table.booleanColumn("same").get(shared - 1));
    assertTrue(!table.booleanColumn("same").get(shared));
    assertTrue(!table.booleanColumn("chosen_trained").get(shared - 1));
    assertTrue(table.booleanColumn("chosen_trained").get(shared));
  }

  @Test
  void theInspectorCanStartWhereTheAnswersPart() {
    EncodedPair pair = collator.encode(PreferencePair.of("hi", "hello world", "go"));
    int shared = PairInspector.sharedPrefix(pair);
    Table table = PairInspector.aroundDivergence(pair, tokenizer, 2);
    assertEquals(shared - 2, table.intColumn("position").get(0));
    assertEquals(Math.max(pair.chosen().length(), pair.rejected().length()) - (shared - 2),
        table.rowCount());
    assertTrue(table.booleanColumn("same").get(1));
    assertTrue(!table.booleanColumn("same").get(2));
    assertEquals(0, PairInspector.aroundDivergence(pair, tokenizer, 10_000)
        .intColumn("position").get(0));
    assertThrows(IllegalArgumentException.class,
        () -> PairInspector.aroundDivergence(pair, tokenizer, -1));
  }

  @Test
  void pairsMustDiffer() {
    assertThrows(IllegalArgumentException.class, () -> PreferencePair.of("hi", "same", "same"));
    assertThrows(IllegalArgumentException.class, () -> PreferencePair.of("hi", "", "b"));
  }
}
