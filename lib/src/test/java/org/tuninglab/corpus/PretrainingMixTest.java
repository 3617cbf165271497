package org.tuninglab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.TextCorpus;

/** The shipped pretraining mix is exactly what its generators make, and keeps its held-out parts. */
class PretrainingMixTest {
  /** The repository's {@code datasets/}: tests run in the {@code lib} module's folder. */
  private static final Path SHIPPED = Path.of("").toAbsolutePath().getParent().resolve("datasets");

  @Test
  void regeneratingGivesTheShippedFilesByteForByte(@TempDir Path tmp) throws IOException {
    List<Path> written = PretrainingMix.write(tmp);
    assertEquals(2, written.size());
    for (Path file : written) {
      Path shipped = SHIPPED.resolve(tmp.relativize(file));
      assertTrue(Files.exists(shipped), shipped + " is missing: run ./tuninglab datasets");
      assertArrayEquals(
          Files.readAllBytes(shipped),
          Files.readAllBytes(file),
          shipped + " differs from its regeneration: run ./tuninglab datasets");
    }
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
    assertTrue(Files.size(dir.resolve("train.txt")) < 6_000_000);
  }

  @Test
  void theMixKeepsOutTheFineTuningSchemaAndTheBenchmarksPrompts() throws IOException {
    String train =
        Files.readString(SHIPPED.resolve(PretrainingMix.FOLDER).resolve("train.txt"));
    for (String key : HeldOut.EXCLUDED_KEYS) {
      assertFalse(train.contains("\"" + key + "\""), key);
    }
    for (String prompt : List.of(HeldOut.POOR_PROMPT, HeldOut.IMPROVED_PROMPT)) {
      assertFalse(train.contains(prompt.substring(0, prompt.indexOf('{'))), prompt);
    }
    for (String template : HeldOut.REQUEST_TEMPLATES) {
      assertFalse(train.contains(template.substring(0, template.indexOf('{'))), template);
    }
  }
}
