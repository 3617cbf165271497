package org.tuninglab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.synthetic.HandbookGenerator;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.data.synthetic.StoryGenerator;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.eval.Refusal;
import org.tuninglab.rag.GroundedPrompt;
import org.tuninglab.tokenize.ChatMessage;

/** Each generator of the pretraining mix emits what it claims, on a few hundred documents. */
class GeneratorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int N = 300;

  @Test
  void groundedAnswersCopyASentenceOfTheCitedSourceOrSayTheyDoNotKnow() {
    GroundedQaGenerator g = new GroundedQaGenerator(1, 1);
    Pattern source = Pattern.compile("\\[(\\d)] [^\\n]+\\n(.*?)(?=\\n\\n\\[\\d]|\\n\\nQuestion: )",
        Pattern.DOTALL);
    int dontKnow = 0;
    int handbook = 0;
    for (int i = 0; i < N; i++) {
      List<ChatMessage> turns = Turns.of(g.next());
      assertEquals(List.of("system", "user", "assistant"),
          turns.stream().map(ChatMessage::role).toList());
      assertEquals(GroundedPrompt.INSTRUCTIONS, turns.get(0).content());
      String user = turns.get(1).content();
      String answer = turns.get(2).content();
      assertTrue(user.startsWith("Sources:\n\n") && user.contains("\n\nQuestion: "), user);
      List<String> sources = new ArrayList<>();
      Matcher m = source.matcher(user);
      while (m.find()) {
        assertEquals(sources.size() + 1, Integer.parseInt(m.group(1)));
        sources.add(m.group(2));
      }
      if (answer.equals(GroundedQaGenerator.DONT_KNOW)) {
        dontKnow++;
        assertTrue(sources.isEmpty() || sources.size() == 3, user);
        continue;
      }
      assertEquals(3, sources.size(), user);
      Matcher cite = Pattern.compile("(.+) \\[(\\d)]").matcher(answer);
      assertTrue(cite.matches(), answer);
      String cited = sources.get(Integer.parseInt(cite.group(2)) - 1);
      handbook += user.contains("example.edu") || user.contains("Partitions") ? 1 : 0;
      if (!cited.contains(cite.group(1))) {
        // A handbook answer no one sentence holds is the labelled answer: its facts are there.
        for (String fact : cite.group(1).split("[ ,]+")) {
          if (fact.matches(".*\\d.*")) {
            assertTrue(cited.contains(fact.replaceAll("[.]$", "")), fact + " not in " + cited);
          }
        }
      }
    }
    assertTrue(dontKnow > N / 10 && dontKnow < N / 4, "closed-book share " + dontKnow);
    assertTrue(handbook > N / 4, "handbook share " + handbook);
  }

  @Test
  void heldOutHandbookSeedsNeverReachTheMix() {
    for (long seed : HeldOut.HANDBOOK_SEEDS) {
      assertThrows(IllegalArgumentException.class, () -> HandbookManual.of(seed));
    }
    assertThrows(IllegalArgumentException.class, () -> HandbookManual.of(HandbookGenerator.SEED));
    // The generator steps over them: start just below the first held-out seed.
    GroundedQaGenerator g = new GroundedQaGenerator(3, HeldOut.HANDBOOK_SEEDS.get(0) - 1);
    for (int i = 0; i < 200; i++) {
      g.next();
    }
  }

  @Test
  void fewShotAnswersFollowTheExamplesKeysAndCopyWordsFromTheirSentence() throws Exception {
    FewShotExtractionGenerator g = new FewShotExtractionGenerator(2, false);
    Set<Integer> shots = new HashSet<>();
    int nonEmpty = 0;
    for (int i = 0; i < N; i++) {
      List<ChatMessage> turns = Turns.of(g.next());
      assertEquals("system", turns.get(0).role());
      List<String> keys = null;
      for (int t = 1; t < turns.size(); t += 2) {
        assertEquals("user", turns.get(t).role());
        assertEquals("assistant", turns.get(t + 1).role());
        JsonNode answer = JSON.readTree(turns.get(t + 1).content());
        List<String> these = new ArrayList<>();
        answer.fieldNames().forEachRemaining(these::add);
        if (keys == null) {
          keys = these;
        }
        assertEquals(keys, these, "every turn uses the same keys");
        for (String key : these) {
          assertFalse(HeldOut.EXCLUDED_KEYS.contains(key), key);
          for (JsonNode word : answer.get(key)) {
            assertTrue(turns.get(t).content().contains(word.asText()), word + " not in turn");
            nonEmpty += t == turns.size() - 2 ? 1 : 0;
          }
        }
      }
      shots.add((turns.size() - 3) / 2);
    }
    assertEquals(Set.of(1, 2, 3, 4), shots);
    assertTrue(nonEmpty > N, "most final answers copy words: " + nonEmpty);
  }

  @Test
  void practiceListsComeInCategoryOrderUnderKeysOfAnyShape() throws Exception {
    FewShotExtractionGenerator g = new FewShotExtractionGenerator(2, true);
    Set<String> poolKeys = new HashSet<>();
    for (Category c : Category.values()) {
      poolKeys.addAll(c.keys());
    }
    int pooled = 0;
    int coined = 0;
    int words = 0;
    int ordered = 0;
    for (int i = 0; i < N; i++) {
      List<ChatMessage> turns = Turns.of(g.next());
      for (int t = 2; t < turns.size(); t += 2) {
        JsonNode answer = JSON.readTree(turns.get(t).content());
        int last = 0;
        Iterator<String> keys = answer.fieldNames();
        while (keys.hasNext()) {
          String key = keys.next();
          assertFalse(HeldOut.EXCLUDED_KEYS.contains(key), key);
          if (t == turns.size() - 1) {
            boolean pool = poolKeys.contains(key);
            boolean word = FewShotExtractionGenerator.WORD_KEYS.contains(key);
            pooled += pool ? 1 : 0;
            words += word ? 1 : 0;
            coined += pool || word ? 0 : 1;
          }
          Set<Integer> ranks = new HashSet<>();
          answer.get(key).forEach(w -> ranks.add(rank(w.asText())));
          assertTrue(ranks.size() <= 1, turns.get(t).content());
          for (int rank : ranks) {
            // Names and towns (both rank 1) may follow each other; every other list moves on.
            assertTrue(rank > last || rank == 1 && last == 1, turns.get(t).content());
            last = rank;
            ordered++;
          }
        }
      }
    }
    // One key in ten names its list by its pool; the rest say nothing of what the list holds.
    double keys = pooled + coined + words;
    assertTrue(pooled > 0.05 * keys && pooled < 0.15 * keys
            && coined > 0.35 * keys && words > 0.35 * keys,
        pooled + " pool, " + coined + " coined, " + words + " word keys");
    assertTrue(ordered > 3 * N, "lists with words: " + ordered);
  }

  /** A word's place in {@link Category}'s order; names and towns share 1 (both capitalised). */
  private static int rank(String word) {
    if (Lexicon.DAYS.contains(word) || Lexicon.MONTHS.contains(word.split(" ")[0])) {
      return 2;
    }
    if (Character.isUpperCase(word.charAt(0))) {
      return 1;
    }
    if (Lexicon.ANIMALS.stream().anyMatch(n -> n.one().equals(word) || n.many().equals(word))) {
      return 3;
    }
    if (Lexicon.OBJECTS.stream().anyMatch(n -> n.one().equals(word) || n.many().equals(word))) {
      return 4;
    }
    if (Category.COLOUR_WORDS.contains(word)) {
      return 5;
    }
    assertTrue(Lexicon.NUMBERS.contains(word), word);
    return 6;
  }

  @Test
  void storyChatsTellTheStoryCorpusStoriesInOrder() {
    StoryChatGenerator g = new StoryChatGenerator(1, new StoryGenerator(7));
    StoryGenerator same = new StoryGenerator(7);
    for (int i = 0; i < 50; i++) {
      List<ChatMessage> turns = Turns.of(g.next());
      assertEquals(List.of("system", "user", "assistant"),
          turns.stream().map(ChatMessage::role).toList());
      assertTrue(StoryChatGenerator.REQUESTS.contains(turns.get(1).content()));
      assertEquals(same.next(), turns.get(2).content());
    }
  }

  @Test
  void instructionsAnswerInJsonExactlyWhenAFormatClauseAsksAndCopyItsKeys() throws Exception {
    InstructionGenerator g = new InstructionGenerator(3);
    int json = 0;
    for (int i = 0; i < N; i++) {
      List<ChatMessage> turns = Turns.of(g.next());
      assertEquals(3, turns.size());
      String user = turns.get(1).content();
      String answer = turns.get(2).content();
      boolean asked = user.contains("JSON");
      assertEquals(asked, answer.startsWith("{"), user + " -> " + answer);
      if (asked) {
        json++;
        Iterator<String> keys = JSON.readTree(answer).fieldNames();
        while (keys.hasNext()) {
          String key = keys.next();
          assertTrue(user.contains("\"" + key + "\""), key + " not in " + user);
          assertFalse(HeldOut.EXCLUDED_KEYS.contains(key));
        }
      }
      assertFalse(user.startsWith(HeldOut.POOR_PROMPT.substring(0, 20)), user);
      assertFalse(user.startsWith(HeldOut.IMPROVED_PROMPT.substring(0, 25)), user);
    }
    assertTrue(json > N / 3 && json < 2 * N / 3, "JSON share " + json);
  }

  @Test
  void harmfulRequestsAreRefusedAndLookAlikesAreHelped() {
    SafetyGenerator g = new SafetyGenerator(4);
    Refusal refusal = Refusal.withDefaultPhrases();
    LabelledExample none = LabelledExample.of("x", "", "");
    int refused = 0;
    for (int i = 0; i < N; i++) {
      List<ChatMessage> turns = Turns.of(g.next());
      String request = turns.get(1).content();
      boolean harmful =
          SafetyGenerator.HARMFUL_ACTIONS.stream()
              .anyMatch(a -> request.matches(".*" + a.replace("{who}", ".+").replace("?", "\\?")
                  + ".*"));
      assertEquals(harmful ? 1.0 : 0.0, refusal.score(none, turns.get(2).content()), request);
      refused += harmful ? 1 : 0;
    }
    assertTrue(refused > N / 3 && refused < 2 * N / 3, "harmful share " + refused);
  }

  @Test
  void heldOutHarmfulRequestsAreDistinctAndPhrasedUnlikeTheMix() {
    List<String> requests = HeldOut.harmfulRequests(150);
    assertEquals(150, new HashSet<>(requests).size());
    assertEquals(requests, HeldOut.harmfulRequests(150));
    assertTrue(HeldOut.harmfulRequestCount() >= 1000);
    Set<String> mixRequests = new HashSet<>(SafetyGenerator.harmfulRequests(
        SafetyGenerator.REQUEST_TEMPLATES));
    requests.forEach(r -> assertFalse(mixRequests.contains(r), r));
    for (String template : HeldOut.REQUEST_TEMPLATES) {
      String head = template.substring(0, template.indexOf('{'));
      assertTrue(SafetyGenerator.REQUEST_TEMPLATES.stream().noneMatch(t -> t.startsWith(head)));
    }
  }
}
