package org.tuninglab.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tuninglab.tokenize.ChatMessage;

class FewShotBuilderTest {

  /** The slides' few-shot examples, plus unrelated ones for similarity to skip. */
  private static final List<FewShotExample> POOL =
      List.of(
          new FewShotExample("What is 2 + 2?", "4"),
          new FewShotExample(
              "F.E. Church attended this church.",
              "{\"F.E. Church\": \"Person\", \"church\": \"Structure\"}"),
          new FewShotExample("Name a prime number.", "7"),
          new FewShotExample(
              "Nvidia's CEO checked the stocks and leaped for joy.",
              "{\"Nvidia\": \"Organization\", \"CEO\": \"JobTitle\", \"stocks\": \"Financial\"}"));

  private static FewShotBuilder.Builder twoOf() {
    return FewShotBuilder.builder().setExamples(POOL).setK(2);
  }

  @Test
  void inOrderTakesTheFirstK() {
    assertEquals(POOL.subList(0, 2), twoOf().build().select("anything"));
  }

  @Test
  void messagesAreSystemThenPairsThenQuery() {
    FewShotBuilder f =
        twoOf().optSystemPrompt("Answer tersely.").optInputTemplate("Q: {input}").build();
    assertEquals(
        List.of(
            ChatMessage.system("Answer tersely."),
            ChatMessage.user("Q: What is 2 + 2?"),
            ChatMessage.assistant("4"),
            ChatMessage.user("Q: F.E. Church attended this church."),
            ChatMessage.assistant(POOL.get(1).output()),
            ChatMessage.user("Q: What is 3 + 3?")),
        f.messages("What is 3 + 3?"));
  }

  @Test
  void zeroShotIsJustTheQuery() {
    FewShotBuilder f = FewShotBuilder.builder().setExamples(POOL).setK(0).build();
    assertEquals(List.of(ChatMessage.user("hi")), f.messages("hi"));
  }

  @Test
  void randomIsSeeded() {
    FewShotBuilder.Builder b = twoOf().optSelection(ExampleSelection.RANDOM);
    List<FewShotExample> first = b.optSeed(7).build().select("q");
    assertEquals(first, b.optSeed(7).build().select("other query"));
    assertEquals(2, first.size());
    assertEquals(2, first.stream().distinct().count());
    // Over many seeds the draws differ, so the seed really drives the choice.
    long distinct =
        IntStream.range(0, 20).mapToObj(s -> b.optSeed(s).build().select("q")).distinct().count();
    assertTrue(distinct > 1, "every seed gave the same draw");
  }

  @Test
  void bySimilarityPicksTheClosestInputsFirst() {
    FewShotBuilder f = twoOf().optSelection(ExampleSelection.BY_SIMILARITY).build();
    List<FewShotExample> chosen = f.select("The CEO of Nvidia checked the church stocks.");
    assertEquals(List.of(POOL.get(3), POOL.get(1)), chosen);
    assertEquals(
        List.of(POOL.get(0)),
        twoOf()
            .setK(1)
            .optSelection(ExampleSelection.BY_SIMILARITY)
            .build()
            .select("what is 5 + 5"));
  }

  @Test
  void similarityTiesKeepPoolOrder() {
    FewShotBuilder f =
        twoOf().optSelection(ExampleSelection.BY_SIMILARITY).optSimilarity((q, c) -> 1).build();
    assertEquals(POOL.subList(0, 2), f.select("q"));
  }

  @Test
  void customSimilarityPlugsIn() {
    // Prefers the longest input: stands in for a dense embedder.
    FewShotBuilder f =
        twoOf()
            .setK(1)
            .optSelection(ExampleSelection.BY_SIMILARITY)
            .optSimilarity((q, c) -> c.length())
            .build();
    assertEquals(List.of(POOL.get(3)), f.select("q"));
  }

  @Test
  void nanSimilarityIsAnError() {
    FewShotBuilder f =
        twoOf()
            .optSelection(ExampleSelection.BY_SIMILARITY)
            .optSimilarity((q, c) -> Double.NaN)
            .build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.select("q"));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void wordCountCosineIsCaseInsensitiveAndBounded() {
    Similarity s = Similarity.wordCountCosine();
    assertEquals(1.0, s.score("Apple tree", "apple, TREE!"), 1e-12);
    assertEquals(0.0, s.score("apple", "pear"));
    assertEquals(0.0, s.score("...", "apple"));
    // {a:2, b:1} . {a:1} = 2; norms sqrt(5) and 1.
    assertEquals(2 / Math.sqrt(5), s.score("a a b", "a"), 1e-12);
    assertNotEquals(0.0, s.score("Nvidia's CEO", "nvidia"));
  }

  @Test
  void kOutsideThePoolIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> twoOf().setK(-1).build());
    assertEquals("k must be >= 0, got -1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> twoOf().setK(5).build());
    assertEquals("k = 5 exceeds the pool of 4 examples", e.getMessage());
  }

  @Test
  void requiredSettingsAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FewShotBuilder.builder().setK(1).build());
    assertTrue(e.getMessage().contains("setExamples"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FewShotBuilder.builder().setExamples(POOL).build());
    assertTrue(e.getMessage().contains("setK"));
  }

  @Test
  void inputTemplateMustUseOnlyInput() {
    PromptTemplateException e =
        assertThrows(PromptTemplateException.class, () -> twoOf().optInputTemplate("{text}"));
    assertEquals(
        "input template must use exactly the variable 'input', got [text]", e.getMessage());
  }

  @Test
  void exampleRejectsNulls() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> new FewShotExample(null, "4"));
    assertEquals("input", e.getMessage());
    e = assertThrows(NullPointerException.class, () -> new FewShotExample("2 + 2?", null));
    assertEquals("output", e.getMessage());
  }
}
