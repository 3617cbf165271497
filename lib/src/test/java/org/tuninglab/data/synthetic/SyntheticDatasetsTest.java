package org.tuninglab.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.Example;
import org.tuninglab.data.ExampleFiles;
import org.tuninglab.data.FieldMapping;
import org.tuninglab.data.PreferenceFiles;
import org.tuninglab.data.PreferenceMapping;
import org.tuninglab.data.PreferencePair;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.Split;
import org.tuninglab.data.TextCorpus;

/** The shipped data sets are exactly what their generators make, and are what the cards say. */
class SyntheticDatasetsTest {
  private static final Path SHIPPED = ShippedDatasets.FOLDER;

  @Test
  void regeneratingGivesTheShippedFilesByteForByte(@TempDir Path tmp) throws IOException {
    List<Path> written = SyntheticDatasets.write(tmp);
    assertEquals(5, written.size());
    ShippedDatasets.assertSameBytes(tmp, written);
  }

  @Test
  void theCorpusHasTheDocumentedSizes() throws IOException {
    List<String> train = TextCorpus.documents(SHIPPED.resolve("stories/train.txt"));
    List<String> holdout = TextCorpus.documents(SHIPPED.resolve("stories/holdout.txt"));
    assertEquals(SyntheticDatasets.TRAIN_STORIES, train.size());
    assertEquals(SyntheticDatasets.HOLDOUT_STORIES, holdout.size());
    // A story ends with its closing sentence or with its story card.
    String card = ".*\\. Story card: \\{.*\\}";
    assertTrue(
        train.stream().allMatch(s -> (s.endsWith(".") || s.matches(card)) && !s.contains("\n")));
    assertEquals(1349, train.stream().filter(s -> s.contains("Story card: {")).count());
    // The holdout is unseen text, not repeats of training stories.
    assertTrue(holdout.stream().noneMatch(Set.copyOf(train)::contains));
  }

  @Test
  void storiesAreSeededAndVary() {
    StoryGenerator a = new StoryGenerator(1);
    StoryGenerator b = new StoryGenerator(1);
    String first = a.next();
    assertEquals(first, b.next());
    assertTrue(!first.equals(a.next()));
  }

  @Test
  void everyEntityCompletionIsJsonOfEntitiesTheTextMentions() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Example> examples =
        ExampleFiles.load(SHIPPED.resolve(SyntheticDatasets.ENTITIES), FieldMapping.DEFAULT);
    assertEquals(4 * SyntheticDatasets.ENTITIES_PER_DOMAIN, examples.size());
    Map<String, Integer> perDomain = new HashMap<>();
    for (Example e : examples) {
      PromptCompletion pc = (PromptCompletion) e;
      perDomain.merge(e.fields().get("domain"), 1, Integer::sum);
      JsonNode entities = json.readTree(pc.completion());
      assertEquals(
          List.of("people", "places", "dates"), iterable(entities.fieldNames()), e.origin());
      int last = -1;
      for (String key : List.of("people", "places", "dates")) {
        for (JsonNode entity : entities.get(key)) {
          assertTrue(pc.prompt().contains(entity.asText()), e.origin() + ": " + entity);
        }
      }
      // People come in order of first mention.
      for (JsonNode person : entities.get("people")) {
        int at = pc.prompt().indexOf(person.asText());
        assertTrue(at > last, e.origin());
        last = at;
      }
    }
    assertEquals(Map.of("story", 400, "note", 400, "news", 400, "letter", 400), perDomain);
    Split<Example> ood = Split.byField(examples, "domain", Set.of("letter"));
    assertEquals(1200, ood.train().size());
    assertEquals(400, ood.holdout().size());
  }

  @Test
  void anUnknownDomainIsAnError() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new EntityTaskGenerator(1).next("poem"));
    assertTrue(e.getMessage().contains("poem"), e.getMessage());
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void preferencePairsDropExactlyTheEmptyFieldsAndTheHoldoutIsUnseen() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<PreferencePair> train =
        PreferenceFiles.load(SHIPPED.resolve("preferences/train.jsonl"), PreferenceMapping.DEFAULT);
    List<PreferencePair> holdout =
        PreferenceFiles.load(SHIPPED.resolve("preferences/holdout.jsonl"), PreferenceMapping.DEFAULT);
    assertEquals(SyntheticDatasets.PREFERENCE_TRAIN, train.size());
    assertEquals(SyntheticDatasets.PREFERENCE_HOLDOUT, holdout.size());
    Set<String> trainPrompts = new HashSet<>();
    train.forEach(p -> trainPrompts.add(p.prompt().get(0).content()));
    assertEquals(train.size(), trainPrompts.size(), "no prompt repeats");
    assertTrue(holdout.stream().noneMatch(p -> trainPrompts.contains(p.prompt().get(0).content())));
    for (PreferencePair p : train) {
      JsonNode full = json.readTree(p.rejected());
      ObjectNode expected = json.createObjectNode();
      full.fields().forEachRemaining(e -> {
        if (!e.getValue().isEmpty()) {
          expected.set(e.getKey(), e.getValue());
        }
      });
      assertEquals(expected, json.readTree(p.chosen()), p.origin());
      assertTrue(expected.size() < full.size(), p.origin());
    }
    Map<String, Integer> perDomain = new HashMap<>();
    train.forEach(p -> perDomain.merge(p.fields().get("domain"), 1, Integer::sum));
    assertEquals(Map.of("story", 100, "note", 100, "news", 100, "letter", 100), perDomain);
  }
}
