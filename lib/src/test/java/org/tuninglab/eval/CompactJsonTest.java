package org.tuninglab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.PreferenceFiles;
import org.tuninglab.data.PreferenceMapping;
import org.tuninglab.data.PreferencePair;

/** The preference-rate rule on hand-written replies and on the shipped pairs. */
class CompactJsonTest {
  private static final Path PAIRS =
      Path.of("").toAbsolutePath().getParent().resolve("datasets/preferences");

  @Test
  void aCompactAnswerIsOneJsonObjectWithoutEmptyLists() {
    assertTrue(CompactJson.preferred("{\"people\": [\"Anna\"], \"places\": [\"Oakvale\"]}"));
    assertTrue(CompactJson.preferred("  {\"dates\": [\"Tuesday\"]}\n"));
    assertFalse(CompactJson.preferred("{\"people\": [\"Anna\"], \"dates\": []}"), "an empty list");
    assertFalse(CompactJson.preferred("{\"people\": [\"Anna\"]} That is all."), "text after");
    assertFalse(CompactJson.preferred("Sure: {\"people\": [\"Anna\"]}"), "text before");
    assertFalse(CompactJson.preferred("{\"people\": [\"Anna\"]"), "not closed");
    assertFalse(CompactJson.preferred("{}"), "nothing in it");
    assertFalse(CompactJson.preferred("[\"Anna\"]"), "not an object");
    assertFalse(CompactJson.preferred("Anna, Oakvale"), "no JSON");
  }

  @Test
  void everyShippedChosenAnswerIsPreferredAndNoRejectedOne() throws IOException {
    for (String file : List.of("train.jsonl", "holdout.jsonl")) {
      List<PreferencePair> pairs = PreferenceFiles.load(PAIRS.resolve(file), PreferenceMapping.DEFAULT);
      assertTrue(pairs.stream().allMatch(p -> CompactJson.preferred(p.chosen())), file);
      assertTrue(pairs.stream().noneMatch(p -> CompactJson.preferred(p.rejected())), file);
    }
    CompactJson metric = new CompactJson();
    assertEquals("preference_rate", metric.name());
  }
}
