package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.rag.Chunk;
import org.tuninglab.rag.LabelledQuestion;
import org.tuninglab.rag.Retriever;
import org.tuninglab.rag.ScoredChunk;
import tech.tablesaw.api.Table;

class RetrievalComparisonTest {

  /** Returns the same ranking for every query, cut at k, and remembers each k asked. */
  private record Fixed(String name, List<String> order, List<Integer> asked) implements Retriever {
    Fixed(String name, String... ids) {
      this(name, List.of(ids), new ArrayList<>());
    }

    @Override
    public List<ScoredChunk> retrieve(String query, int k) {
      asked.add(k);
      List<ScoredChunk> out = new ArrayList<>();
      for (int i = 0; i < Math.min(k, order.size()); i++) {
        String id = order.get(i);
        out.add(new ScoredChunk(new Chunk("d#" + id, "d", "D", List.of(), id, 0, 1, Map.of()), -i));
      }
      return out;
    }
  }

  private static final List<LabelledQuestion> QUESTIONS = List.of(
      new LabelledQuestion("q1", "where is b?", "b", List.of("d#b")),
      new LabelledQuestion("q2", "where is c?", "c", List.of("d#c")));

  @Test
  void eachRetrieverIsAskedOnceAtTheDeepestCutOffAndScoredAtEvery() {
    Fixed a = new Fixed("a-first", "a", "b", "c", "d");
    Fixed b = new Fixed("b-first", "b", "c", "a", "d");
    List<String> reports = new ArrayList<>();
    RetrievalComparison r = RetrievalComparison.of(List.of(a, b), QUESTIONS, List.of(3, 1),
        (done, total) -> reports.add(done + "/" + total));
    assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), reports);

    assertEquals(List.of(1, 3), r.ks());
    assertEquals(List.of(3, 3), a.asked(), "one retrieval a question, at the largest k");
    // a: first relevant ranks 2 and 3; b: ranks 1 and 2.
    assertEquals(0.0, r.get("a-first", 1).recall(), 1e-12);
    assertEquals(1.0, r.get("a-first", 3).recall(), 1e-12);
    assertEquals((1.0 / 2 + 1.0 / 3) / 2, r.get("a-first", 3).mrr(), 1e-12);
    assertEquals(0.5, r.get("b-first", 1).recall(), 1e-12);
    assertEquals((1.0 + 1.0 / 2) / 2, r.get("b-first", 3).mrr(), 1e-12);
    assertEquals("b-first", r.best(1).retriever());
    assertEquals("a-first", r.best(3).retriever(), "a tie goes to the first retriever");

    Table t = r.table("recall on two questions");
    assertEquals(List.of("retriever", "recall@1", "recall@3", "MRR@3"), t.columnNames());
    assertArrayEquals(new double[] {0, 0.5}, t.doubleColumn("recall@1").asDoubleArray(), 1e-12);
    assertEquals("b-first", t.stringColumn("retriever").get(1));
  }

  @Test
  void badInputsAreRefusedWithWhatWasExpected() {
    Fixed a = new Fixed("a", "a");
    assertThrows(IllegalArgumentException.class, () -> RetrievalComparison.of(List.of(), QUESTIONS, List.of(1)));
    assertThrows(IllegalArgumentException.class, () -> RetrievalComparison.of(List.of(a), QUESTIONS, List.of(0, 3)));
    RetrievalComparison r = RetrievalComparison.of(List.of(a), QUESTIONS, List.of(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.get("dense", 1));
    assertEquals("no dense at k 1: measured [a] at k [1]", e.getMessage());
  }
}
