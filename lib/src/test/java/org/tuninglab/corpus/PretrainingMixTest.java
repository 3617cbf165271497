package org.tuninglab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.ChatCorpus;
import org.tuninglab.data.TextCorpus;
import org.tuninglab.data.synthetic.ShippedDatasets;

/** The shipped pretraining mix is exactly what its generators make, and keeps its held-out parts. */
class PretrainingMixTest {
  private static final Path SHIPPED = ShippedDatasets.FOLDER;

  @Test
  void regeneratingGivesTheShippedFilesByteForByte(@TempDir Path tmp) throws IOException {
    List<Path> written = PretrainingMix.write(tmp);
    assertEquals(4, written.size());
    ShippedDatasets.assertSameBytes(tmp, written);
  }

  @Test
  void theShippedMixReadsBackAsItsDocuments() throws IOException {
    Path dir = SHIPPED.resolve(PretrainingMix.FOLDER);
    List<String> train = TextCorpus.documents(dir.resolve("train.txt"), PretrainingMix.SEPARATOR);
    List<String> holdout =
        TextCorpus.documents(dir.resolve("holdout.txt"), PretrainingMix.SEPARATOR);
    assertEquals(PretrainingMix.documents(false), train);
    assertEquals(PretrainingMix.documents(true), holdout);
    int trainCount = PretrainingMix.COMPONENTS.stream().mapToInt(c -> c.train()).sum();
    assertEquals(trainCount, train.size());
    // Blank lines inside a chat stay inside its document.
    assertTrue(train.stream().anyMatch(d -> d.contains("Sources:\n\n[1] ")));
    // A git repository, not a data store: a few MB.
    assertTrue(Files.size(dir.resolve("train.txt")) < 10_000_000);
  }

  @Test
  void theShippedPracticeSetIsChatsOnly() throws IOException {
    Path dir = SHIPPED.resolve(PretrainingMix.FOLDER);
    for (boolean holdout : List.of(false, true)) {
      Path file = dir.resolve(holdout ? "practice-holdout.txt" : "practice-train.txt");
      List<String> docs = TextCorpus.documents(file, PretrainingMix.SEPARATOR);
      assertEquals(PretrainingMix.practice(holdout), docs);
      int count = PretrainingMix.PRACTICE_COMPONENTS.stream()
          .mapToInt(c -> holdout ? c.holdout() : c.train()).sum();
      assertEquals(count, docs.size());
      assertEquals(count, ChatCorpus.load(file, PretrainingMix.SEPARATOR).size());
    }
  }

  @Test
  void theMixKeepsOutTheFineTuningSchemaAndTheBenchmarksPrompts() throws IOException {
    for (String file : List.of("train.txt", "practice-train.txt")) {
      keepsOut(Files.readString(SHIPPED.resolve(PretrainingMix.FOLDER).resolve(file)));
    }
  }

  private static void keepsOut(String text) {
    for (String key : HeldOut.EXCLUDED_KEYS) {
      assertFalse(text.contains("\"" + key + "\""), key);
    }
    for (String prompt : List.of(HeldOut.POOR_PROMPT, HeldOut.IMPROVED_PROMPT)) {
      assertFalse(text.contains(prompt.substring(0, prompt.indexOf('{'))), prompt);
    }
    for (String template : HeldOut.REQUEST_TEMPLATES) {
      assertFalse(text.contains(template.substring(0, template.indexOf('{'))), template);
    }
  }
}
