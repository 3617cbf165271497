package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bm25RetrieverTest {
  @TempDir Path dir;

  /** The label "x > Heading" is indexed with the text: two more tokens a chunk. */
  private static final List<Chunk> CORPUS = List.of(
      chunk("a", "the cat sat"),
      chunk("b", "the cat and the dog played with the cat"),
      chunk("c", "the dog barked"),
      chunk("d", "birds sing"));

  private static Chunk chunk(String id, String text) {
    return new Chunk(id, id, "x", List.of("Heading"), text, 0, text.length(),
        Map.of("k", "v"));
  }

  /** Lucene's BM25 term score: idf * tf / (tf + k1 * (1 - b + b * len / avgLen)). */
  private static double term(int docsWithTerm, int tf, int len) {
    double n = 4;
    double avgLen = (5 + 11 + 5 + 4) / n;
    double idf = Math.log(1 + (n - docsWithTerm + 0.5) / (docsWithTerm + 0.5));
    return idf * tf / (tf + 1.2 * (1 - 0.75 + 0.75 * len / avgLen));
  }

  private static Bm25Retriever.Builder standard() {
    return Bm25Retriever.builder().setChunks(CORPUS).optAnalyzer(new StandardAnalyzer());
  }

  @Test
  void scoresMatchTheFormulaByHand() throws IOException {
    try (Bm25Retriever bm25 = standard().build()) {
      List<ScoredChunk> hits = bm25.retrieve("Cat dog?", 10);
      // b holds both terms (cat twice); a and c tie on one term at the same length, so corpus
      // order decides; d matches nothing and is not returned.
      assertEquals(List.of("b", "a", "c"), hits.stream().map(s -> s.chunk().id()).toList());
      assertEquals(term(2, 2, 11) + term(2, 1, 11), hits.get(0).score(), 1e-5);
      assertEquals(term(2, 1, 5), hits.get(1).score(), 1e-5);
      assertEquals(term(2, 1, 5), hits.get(2).score(), 1e-5);
      assertEquals(0.59727, hits.get(0).score(), 1e-5); // the formula, worked out by hand
      assertEquals(List.of("b"), bm25.retrieve("cat dog", 1).stream()
          .map(s -> s.chunk().id()).toList());
      assertEquals(List.of("d"), bm25.retrieve("sing", 5).stream()
          .map(s -> s.chunk().id()).toList());
      assertEquals(List.of(), bm25.retrieve("?!", 5));
      assertEquals(List.of(), bm25.retrieve("elephant", 5));
      assertThrows(IllegalArgumentException.class, () -> bm25.retrieve("cat", 0));
    }
  }

  @Test
  void englishAnalyzerStemsAndDropsStopWords() throws IOException {
    try (Bm25Retriever bm25 = Bm25Retriever.builder().setChunks(CORPUS).build()) {
      assertEquals(List.of("cat", "dog"), List.copyOf(bm25.terms("the Cats and DOGS")));
      assertEquals("b", bm25.retrieve("cats playing", 1).get(0).chunk().id());
      assertEquals("c", bm25.retrieve("barking", 1).get(0).chunk().id());
      // The heading path is indexed too.
      assertEquals(4, bm25.retrieve("heading", 10).size());
    }
  }

  @Test
  void onDiskIndexReopensWithItsChunks() throws IOException {
    Path index = dir.resolve("index");
    List<ScoredChunk> inMemory;
    try (Bm25Retriever bm25 = Bm25Retriever.builder().setChunks(CORPUS).build()) {
      inMemory = bm25.retrieve("cat dog", 3);
    }
    try (Bm25Retriever built = Bm25Retriever.builder().setChunks(CORPUS).optDirectory(index)
        .build()) {
      assertEquals(inMemory, built.retrieve("cat dog", 3));
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(index), left.toList(), "no temporary folder left behind");
    }
    try (Bm25Retriever reopened = Bm25Retriever.open(index)) {
      assertEquals(CORPUS, reopened.chunks());
      assertEquals(inMemory, reopened.retrieve("cat dog", 3));
    }
    IOException exists = assertThrows(IOException.class,
        () -> Bm25Retriever.builder().setChunks(CORPUS).optDirectory(index).build());
    assertTrue(exists.getMessage().startsWith(index + ": already exists"), exists.getMessage());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    IOException none = assertThrows(IOException.class, () -> Bm25Retriever.open(empty));
    assertTrue(none.getMessage().startsWith(empty + ": holds no Lucene index"), none.getMessage());
    assertThrows(IOException.class, () -> Bm25Retriever.open(dir.resolve("missing")));
    assertThrows(IllegalStateException.class, () -> Bm25Retriever.builder().build());
  }
}
