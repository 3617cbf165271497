package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.synthetic.HandbookGenerator;

/** The shipped corpus: reproducible from its generator, consistent labels, pinned metrics. */
class HandbookCorpusTest {
  private static Path shipped;
  private static List<Chunk> chunks;
  private static List<LabelledQuestion> questions;
  private static MiniLmEmbedder embedder;
  private static Bm25Retriever bm25;
  private static DenseRetriever dense;

  @BeforeAll
  static void load() throws IOException {
    shipped = locate();
    chunks = HeadingChunker.create().chunkAll(
        DocumentLoader.defaults().load(shipped.resolve("docs")).documents());
    questions = LabelledQuestion.load(shipped.resolve("questions.jsonl"));
    embedder = MiniLmEmbedder.builder().optThreads(1).build();
    bm25 = Bm25Retriever.builder().setChunks(chunks).build();
    dense = DenseRetriever.builder().setChunks(chunks).setEmbedder(embedder).build();
  }

  @AfterAll
  static void close() throws IOException {
    bm25.close();
    embedder.close();
  }

  /** {@code datasets/cluster-handbook} of this checkout (tests run in {@code lib/}). */
  static Path locate() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("datasets/cluster-handbook");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("datasets/cluster-handbook not found above " + Path.of("")
        .toAbsolutePath());
  }

  @Test
  void generatorReproducesTheShippedFilesByteForByte(@TempDir Path tmp) throws IOException {
    List<String> written = HandbookGenerator.generate(tmp, HandbookGenerator.SEED);
    for (String file : written) {
      assertArrayEquals(Files.readAllBytes(shipped.resolve(file)),
          Files.readAllBytes(tmp.resolve(file)), file);
    }
    Set<String> present;
    try (Stream<Path> walk = Files.walk(shipped)) {
      present = walk.filter(Files::isRegularFile).map(p -> shipped.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> expected = new TreeSet<>(written);
    expected.add("README.md");
    assertEquals(expected, present, "the shipped folder holds the generated files and its card");
    assertTrue(!HandbookGenerator.files(HandbookGenerator.SEED + 1).equals(
        HandbookGenerator.files(HandbookGenerator.SEED)), "the seed drives the facts");
  }

  @Test
  void everyLabelNamesAChunkAndEveryAnswerIsInIt() {
    assertEquals(32, chunks.size()); // 7 documents: an intro and 3 or 4 sections each
    assertEquals(30, questions.size());
    for (LabelledQuestion q : questions) {
      for (String label : q.relevant()) {
        Chunk c = chunks.stream().filter(ch -> ch.id().equals(label)).findFirst()
            .orElseThrow(() -> new AssertionError(q.id() + ": no chunk " + label));
        // The answer's facts (words with a digit, a capital or inner punctuation: numbers,
        // names, hosts, options) all appear in the labelled section.
        String[] words = q.answer().split("\\s+");
        for (int i = 0; i < words.length; i++) {
          String w = words[i].replaceAll("[.,]$", "");
          boolean fact = w.matches(".*[0-9@].*") || w.matches(".+[./:-].+")
              || (i > 0 && w.matches("[A-Z].*"));
          assertTrue(!fact || c.text().contains(w), q.id() + ": \"" + w + "\" not in " + label);
        }
      }
    }
  }

  @Test
  void retrievalMetricsArePinned() {
    HybridRetriever hybrid = HybridRetriever.builder().setRetrievers(List.of(bm25, dense)).build();
    // Counts over the 30 questions (one label each, so recall@k equals the hit rate), and the
    // sum of reciprocal ranks within the top 3.
    assertMetrics(bm25, 18, 28, 22 + 2 / 3.0);
    assertMetrics(dense, 27, 29, 27 + 5 / 6.0);
    assertMetrics(hybrid, 23, 28, 25.5);
  }

  private static void assertMetrics(Retriever r, int hitsAt1, int hitsAt3, double rrSumAt3) {
    RetrievalMetrics at1 = RetrievalMetrics.evaluate(r, questions, 1);
    RetrievalMetrics at3 = RetrievalMetrics.evaluate(r, questions, 3);
    assertEquals(hitsAt1 / 30.0, at1.recall(), 1e-12, r.name() + " recall@1");
    assertEquals(hitsAt1 / 30.0, at1.mrr(), 1e-12, r.name() + " MRR@1");
    assertEquals(hitsAt3 / 30.0, at3.recall(), 1e-12, r.name() + " recall@3");
    assertEquals(hitsAt3 / 30.0, at3.hitRate(), 1e-12, r.name() + " hit rate@3");
    assertEquals(rrSumAt3 / 30.0, at3.mrr(), 1e-12, r.name() + " MRR@3");
  }
}
