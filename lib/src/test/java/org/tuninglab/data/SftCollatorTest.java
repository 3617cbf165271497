package org.tuninglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.HfTokenizer;
import tech.tablesaw.api.Table;

class SftCollatorTest {
  private static HfTokenizer tokenizer;
  private static SftCollator collator;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = BpeFixture.tokenizer();
    collator =
        SftCollator.builder()
            .setTokenizer(tokenizer)
            .optChatTemplate(BpeFixture.template())
            .optSystemPrompt("Solve.")
            .setMaxLength(128)
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
  void onlyTheCompletionAndItsEndOfTurnAreTrained() {
    EncodedExample e = collator.encode(PromptCompletion.of("hi", "hello world"));
    assertEquals("<|im_start|>system\nSolve.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", text(e, false));
    assertEquals("hello world<|im_end|>\n", text(e, true));
    assertEquals(0, e.cutTokens());
  }

  @Test
  void labelsAreShiftedForNextTokenPrediction() {
    EncodedExample e = collator.encode(PromptCompletion.of("hi", "hello world"));
    long[] labels = e.labels();
    int firstTrained = IntStream.range(0, e.length()).filter(t -> e.trained()[t]).findFirst().orElseThrow();
    assertEquals(TokenCrossEntropy.IGNORE, labels[firstTrained - 2]);
    assertEquals(e.ids()[firstTrained], labels[firstTrained - 1]);
    assertEquals(TokenCrossEntropy.IGNORE, labels[e.length() - 1]);
    assertEquals(e.trainedCount(), Arrays.stream(labels).filter(l -> l != TokenCrossEntropy.IGNORE).count());
  }

  @Test
  void everyAssistantTurnOfAConversationIsTrained() {
    Conversation c =
        Conversation.of(
            List.of(
                ChatMessage.user("hi"),
                ChatMessage.assistant("hello"),
                ChatMessage.user("the"),
                ChatMessage.assistant("world")));
    EncodedExample e = collator.encode(c);
    assertEquals("hello<|im_end|>\nworld<|im_end|>\n", text(e, true));
    assertTrue(text(e, false).startsWith("<|im_start|>system\nSolve.<|im_end|>"));
  }

  /** Training text that looks like Jinja is trained as the characters it is. */
  @Test
  void jinjaSyntaxInARecordIsTrainedAsLiteralText() {
    String prompt = "{% if x %}";
    String answer = "{{ 7*6 }} {{ }}";
    EncodedExample e = collator.encode(new PromptCompletion(prompt, answer, Map.of(), "t.jsonl:3"));
    assertEquals(answer + "<|im_end|>\n", text(e, true));
    assertTrue(text(e, false).contains(prompt), text(e, false));
  }

  @Test
  void aTemplateFailureNamesTheRecord() {
    SftCollator failing =
        SftCollator.builder()
            .setTokenizer(tokenizer)
            .optChatTemplate(
                org.tuninglab.tokenize.ChatTemplate.of("{{ raise_exception('no') }}", null, null))
            .setMaxLength(128)
            .build();
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> failing.encode(new PromptCompletion("a", "b", Map.of(), "train.jsonl:7")));
    assertTrue(e.getMessage().startsWith("train.jsonl:7: "), e.getMessage());
  }

  /** The classic pitfall: masking labels by pad id would also mask the EOS that ends the answer. */
  @Test
  void eosIsTrainedEvenWhenPadIsEos(@TempDir Path tmp) throws IOException {
    try (HfTokenizer padIsEos = HfTokenizer.load(BpeFixture.padIsEos(tmp));
        NDManager manager = NDManager.newBaseManager()) {
      assertEquals(BpeFixture.IM_END, padIsEos.specialTokens().pad().orElseThrow());
      SftCollator c =
          SftCollator.builder().setTokenizer(padIsEos).optChatTemplate(BpeFixture.template()).setMaxLength(128).build();
      EncodedExample shortOne = c.encode(PromptCompletion.of("hi", "hello"));
      EncodedExample longOne = c.encode(PromptCompletion.of("hi", "hello world hello world"));
      Batch batch = c.collate(List.of(shortOne, longOne), manager);
      long[] labels = batch.labels().toLongArray();
      long[] ids = batch.inputIds().toLongArray();
      long[] mask = batch.attentionMask().toLongArray();
      int width = (int) batch.inputIds().getShape().get(1);
      int n = shortOne.length();
      // The short row: "hello" is followed by <|im_end|>, whose label must survive.
      assertEquals(BpeFixture.IM_END, ids[n - 2]);
      assertEquals(BpeFixture.IM_END, labels[n - 3]);
      for (int t = n; t < width; t++) {
        assertEquals(BpeFixture.IM_END, ids[t], "padding uses the pad id");
        assertEquals(0, mask[t]);
        assertEquals(TokenCrossEntropy.IGNORE, labels[t]);
      }
      assertEquals(1, mask[n - 1]);
      assertEquals(shortOne.trainedCount() + longOne.trainedCount(), batch.trainedTokens());
      assertEquals(List.of(2L, (long) width), List.of(batch.labels().getShape().getShape()[0], (long) width));
    }
  }

  @Test
  void truncationIsCountedAndFullyCutCompletionsReported() throws IOException {
    PromptCompletion fits = new PromptCompletion("hi", "the", Map.of(), "a:1");
    PromptCompletion clipped = new PromptCompletion("hi", "hello world hello world", Map.of(), "a:2");
    PromptCompletion lost = new PromptCompletion("hi hello world hello world", "the", Map.of(), "a:3");
    int max = collator.encode(fits).length();
    SftCollator tight =
        SftCollator.builder()
            .setTokenizer(tokenizer)
            .optChatTemplate(BpeFixture.template())
            .optSystemPrompt("Solve.")
            .setMaxLength(max)
            .build();
    EncodedDataset data = tight.encodeAll(List.of(fits, clipped, lost));
    assertEquals(List.of("a:1", "a:2"), data.examples().stream().map(EncodedExample::origin).toList());
    assertEquals(2, data.truncation().examplesTruncated());
    assertEquals(List.of("a:3"), data.truncation().completionCutEntirely());
    EncodedExample full = collator.encode(clipped);
    EncodedExample cut = data.examples().get(1);
    assertEquals(max, cut.length());
    assertEquals(full.length() - max, cut.cutTokens());
    assertEquals(cut.cutTokens() + collator.encode(lost).length() - max, data.truncation().tokensCut());
    assertArrayEquals(Arrays.copyOf(full.ids(), max), cut.ids());
  }

  @Test
  void withoutATemplateThePromptIsPlainTextAndEosIsAppended() {
    SftCollator plain = SftCollator.builder().setTokenizer(tokenizer).setMaxLength(64).build();
    EncodedExample e = plain.encode(PromptCompletion.of("hi", "the"));
    assertEquals("<|begin_of_text|>hi", text(e, false));
    assertEquals("the<|im_end|>", text(e, true));
    assertThrows(IllegalStateException.class, () -> plain.encode(Conversation.of(List.of(ChatMessage.assistant("x")))));
  }

  @Test
  void inspectorListsEachTokenWithItsLabel() {
    EncodedExample e = collator.encode(PromptCompletion.of("hi", "the"));
    List<TokenRow> rows = TokenInspector.rows(e, tokenizer);
    int last = rows.size() - 1;
    assertEquals(new TokenRow(last, '\n', "Ċ", true, TokenCrossEntropy.IGNORE), rows.get(last));
    assertEquals(new TokenRow(last - 1, BpeFixture.IM_END, "<|im_end|>", true, '\n'), rows.get(last - 1));
    assertEquals(new TokenRow(last - 2, 256, "he", true, BpeFixture.IM_END), rows.get(last - 2));
    assertEquals(TokenCrossEntropy.IGNORE, rows.get(0).label());
    Table table = TokenInspector.table(rows);
    assertEquals(rows.size(), table.rowCount());
    assertEquals(List.of("position", "id", "text", "trained", "label"), table.columnNames());
  }

  @Test
  void batchOrderIsSeededPerEpochAndCoversEveryExample() {
    int[] lengths = IntStream.range(0, 23).map(i -> (i * 7) % 11 + 1).toArray();
    BatchOrder order = new BatchOrder(lengths, 4, 3, true);
    assertEquals(6, order.batchesPerEpoch());
    assertEquals(order.epoch(1), new BatchOrder(lengths, 4, 3, true).epoch(1));
    assertTrue(!order.epoch(0).equals(order.epoch(1)));
    Set<Integer> seen = new HashSet<>();
    order.epoch(0).forEach(seen::addAll);
    assertEquals(23, seen.size());
    // Grouped batches hold neighbouring lengths: each batch is sorted, longest first.
    for (List<Integer> batch : order.epoch(0)) {
      for (int i = 1; i < batch.size(); i++) {
        assertTrue(lengths[batch.get(i - 1)] >= lengths[batch.get(i)]);
      }
    }
  }
}
