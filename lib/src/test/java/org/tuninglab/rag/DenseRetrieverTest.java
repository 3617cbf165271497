package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DenseRetrieverTest {
  private static MiniLmEmbedder embedder;

  @BeforeAll
  static void load() throws IOException {
    embedder = MiniLmEmbedder.builder().optThreads(1).optBatchSize(4).build();
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  private static Chunk chunk(String id, String text) {
    return new Chunk(id, id, id, List.of(), text, 0, text.length(), Map.of());
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  @Test
  void matchesLangchain4jsOwnPipeline() {
    List<String> texts = List.of(
        "The cat sat on the mat.",
        "Scratch storage is purged after thirty days without access.",
        "GPU jobs must request at least one accelerator with --gres.");
    float[][] ours = embedder.embed(texts, 1);
    AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    for (int i = 0; i < texts.size(); i++) {
      float[] theirs = reference.embed(TextSegment.from(texts.get(i))).content().vector();
      assertEquals(384, ours[i].length);
      assertEquals(1.0, cosine(ours[i], ours[i]), 1e-5, "unit length");
      assertEquals(1.0, cosine(ours[i], Vectors.normalize(theirs)), 1e-4, texts.get(i));
    }
  }

  @Test
  void batchingMovesVectorsOnlyByTheQuantizationOfTheBatch() {
    List<String> texts = List.of("short", "a much longer sentence about batch padding and masks",
        "middle length text here", "x");
    float[][] batched = embedder.embed(texts, 4);
    float[][] single = embedder.embed(texts, 1);
    // The model quantizes activations with one scale per tensor, so the batch it shares moves a
    // vector a little (measured: cosine 0.977 to 0.993); masking keeps padding from doing more.
    for (int i = 0; i < texts.size(); i++) {
      double c = cosine(batched[i], single[i]);
      assertTrue(c > 0.97 && c < 1.0 + 1e-5, texts.get(i) + ": " + c);
    }
    // The same batches give the same vectors, so indexes and pinned metrics are reproducible.
    float[][] again = embedder.embed(texts, 4);
    for (int i = 0; i < texts.size(); i++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(batched[i], again[i]);
    }
  }

  @Test
  void paraphraseFindsTheChunkThatBm25Misses() throws IOException {
    List<Chunk> chunks = List.of(
        chunk("cat", "A kitten naps on the sofa all afternoon."),
        chunk("money", "Quarterly revenue grew by eight percent over the year."),
        chunk("rain", "Heavy rainfall is expected across the valley tomorrow."));
    String query = "Where is the young feline sleeping?";
    DenseRetriever dense = DenseRetriever.builder().setChunks(chunks).setEmbedder(embedder).build();
    List<ScoredChunk> hits = dense.retrieve(query, 3);
    assertEquals("cat", hits.get(0).chunk().id());
    assertTrue(hits.get(0).score() > hits.get(1).score());
    assertEquals(3, hits.size());
    try (Bm25Retriever bm25 = Bm25Retriever.builder().setChunks(chunks).build()) {
      List<ScoredChunk> keyword = bm25.retrieve(query, 3);
      // No query word (after stemming and stop words) occurs in the kitten chunk.
      assertTrue(keyword.stream().noneMatch(s -> s.chunk().id().equals("cat")),
          keyword.toString());
    }
  }

  @Test
  void topKIsExactAndOrdered() {
    List<Chunk> chunks = List.of(chunk("a", "apples and pears"), chunk("b", "the stock market"),
        chunk("c", "pears, plums and apples"), chunk("d", "a football match"));
    DenseRetriever dense = DenseRetriever.builder().setChunks(chunks).setEmbedder(embedder).build();
    List<ScoredChunk> all = dense.retrieve("fruit like apples", 4);
    assertEquals(4, all.size());
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i - 1).score() >= all.get(i).score());
    }
    // Scores are the cosines of the vectors the index embedded (one batch of four, sorted by
    // length), recomputed here by brute force.
    float[] q = embedder.embed(List.of("fruit like apples"))[0];
    List<String> texts = chunks.stream().map(c -> c.label() + "\n" + c.text()).toList();
    float[][] v = embedder.embed(texts);
    for (ScoredChunk s : all) {
      assertEquals(cosine(q, v[chunks.indexOf(s.chunk())]), s.score(), 1e-5);
    }
    assertEquals(all.subList(0, 2), dense.retrieve("fruit like apples", 2));
    assertNotEquals(all.get(0).chunk().id(), "d");
  }
}
