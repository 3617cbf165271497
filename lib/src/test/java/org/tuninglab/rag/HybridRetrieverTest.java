package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridRetrieverTest {

  /** A retriever with a fixed ranking, recording the k it was asked for. */
  private static final class Fixed implements Retriever {
    private final List<String> ids;
    final List<Integer> asked = new ArrayList<>();

    Fixed(String... ids) {
      this.ids = List.of(ids);
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public List<ScoredChunk> retrieve(String query, int k) {
      asked.add(k);
      return ids.stream().limit(k).map(id -> new ScoredChunk(chunk(id), 100 - ids.indexOf(id)))
          .toList();
    }
  }

  private static Chunk chunk(String id) {
    return new Chunk(id, id, id, List.of(), id, 0, id.length(), Map.of());
  }

  @Test
  void reciprocalRankFusionArithmetic() {
    Fixed bm25 = new Fixed("a", "b", "c");
    Fixed dense = new Fixed("c", "a", "d");
    HybridRetriever hybrid = HybridRetriever.builder().setRetrievers(List.of(bm25, dense))
        .optCandidates(10).build();
    List<ScoredChunk> fused = hybrid.retrieve("q", 4);
    assertEquals(List.of("a", "c", "b", "d"), fused.stream().map(s -> s.chunk().id()).toList());
    assertEquals(1.0 / 61 + 1.0 / 62, fused.get(0).score(), 1e-15);
    assertEquals(1.0 / 63 + 1.0 / 61, fused.get(1).score(), 1e-15);
    assertEquals(1.0 / 62, fused.get(2).score(), 1e-15);
    assertEquals(1.0 / 63, fused.get(3).score(), 1e-15);
    assertEquals(0.0325224748810153, fused.get(0).score(), 1e-15);
    assertEquals(List.of(10), bm25.asked);

    // k caps the result; each retriever is still asked for max(k, candidates).
    assertEquals(2, hybrid.retrieve("q", 2).size());
    assertEquals(List.of(10, 10), dense.asked);
  }

  @Test
  void smallerKWeighsTopRanksMoreAndTiesKeepFirstSight() {
    // With k = 0 rank 1 counts 1 and rank 2 counts 1/2: b (2nd and 2nd) = 1 beats nothing, and
    // a (1st once) ties c (1st once) at 1; first sight (a, from the first retriever) wins.
    List<ScoredChunk> fused = HybridRetriever.builder()
        .setRetrievers(List.of(new Fixed("a", "b"), new Fixed("c", "b"))).optRrfK(0).build()
        .retrieve("q", 3);
    assertEquals(List.of("a", "b", "c"), fused.stream().map(s -> s.chunk().id()).toList());
    assertEquals(List.of(1.0, 1.0, 1.0), fused.stream().map(ScoredChunk::score).toList());
    assertThrows(IllegalStateException.class, () -> HybridRetriever.builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> HybridRetriever.builder().optRrfK(-1));
  }
}
