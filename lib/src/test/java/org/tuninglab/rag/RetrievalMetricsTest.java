package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class RetrievalMetricsTest {
  @TempDir Path dir;

  private static Chunk chunk(String id) {
    String doc = id.contains("#") ? id.substring(0, id.indexOf('#')) : id;
    return new Chunk(id, doc, doc, List.of(), id, 0, 1, Map.of());
  }

  /** Answers each question with a fixed ranking. */
  private static final Retriever FIXTURE = new Retriever() {
    private final Map<String, List<String>> rankings = Map.of(
        "q1", List.of("a.md#x", "b.md#y", "c.md#z"),
        "q2", List.of("c.md#z", "b.md#y", "a.md#x~2"),
        "q3", List.of("c.md#z", "c.md#w", "b.md#y"),
        "q4", List.of("b.md#y", "a.md#x", "c.md#z"));

    @Override
    public String name() {
      return "fixture";
    }

    @Override
    public List<ScoredChunk> retrieve(String query, int k) {
      return rankings.get(query).stream().limit(k).map(id -> new ScoredChunk(chunk(id), 1))
          .toList();
    }
  };

  private static final List<LabelledQuestion> QUESTIONS = List.of(
      new LabelledQuestion("1", "q1", "-", List.of("a.md#x")), // rank 1
      new LabelledQuestion("2", "q2", "-", List.of("a.md#x", "b.md#y")), // ranks 3 (a piece), 2
      new LabelledQuestion("3", "q3", "-", List.of("a.md")), // a document: missing
      new LabelledQuestion("4", "q4", "-", List.of("c.md"))); // a document: rank 3

  @Test
  void recallMrrAndHitRateArePinned() {
    RetrievalMetrics at3 = RetrievalMetrics.evaluate(FIXTURE, QUESTIONS, 3);
    assertEquals((1 + 1 + 0 + 1) / 4.0, at3.recall(), 1e-12);
    assertEquals((1 + 0.5 + 0 + 1 / 3.0) / 4.0, at3.mrr(), 1e-12);
    assertEquals(0.75, at3.hitRate(), 1e-12);
    assertEquals(List.of(1, 2, 0, 3),
        at3.perQuestion().stream().map(QuestionResult::firstRelevantRank).toList());

    RetrievalMetrics at2 = RetrievalMetrics.evaluate(FIXTURE, QUESTIONS, 2);
    assertEquals((1 + 0.5 + 0 + 0) / 4.0, at2.recall(), 1e-12);
    assertEquals((1 + 0.5) / 4.0, at2.mrr(), 1e-12);
    assertEquals(0.5, at2.hitRate(), 1e-12);
    assertEquals("fixture @2: recall 0.375, MRR 0.375, hit rate 0.500 (4 questions)",
        at2.toString());

    Table t = at3.table();
    assertEquals(4, t.rowCount());
    assertEquals(List.of("id", "question", "first relevant rank", "recall@3", "reciprocal rank",
        "top chunk"), t.columnNames());
    assertEquals("c.md#z", t.stringColumn("top chunk").get(1));
    assertEquals(0.5, t.doubleColumn("reciprocal rank").get(1), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> RetrievalMetrics.evaluate(FIXTURE, List.of(), 3));
  }

  @Test
  void loadsQuestionsAndNamesBadLines() throws IOException {
    Path f = dir.resolve("q.jsonl");
    Files.writeString(f,
        "{\"id\":\"a\",\"question\":\"Q?\",\"answer\":\"A\",\"relevant\":[\"d.md#s\"]}\n"
        + "\n{\"id\":\"b\",\"question\":\"Q2?\",\"answer\":\"A2\",\"relevant\":[\"x\",\"y\"]}\n");
    assertEquals(List.of(new LabelledQuestion("a", "Q?", "A", List.of("d.md#s")),
        new LabelledQuestion("b", "Q2?", "A2", List.of("x", "y"))), LabelledQuestion.load(f));

    Files.writeString(f,
        "{\"id\":\"a\",\"question\":\"Q?\",\"answer\":\"A\",\"relevant\":[]}\n");
    assertEquals(f + ":1: field \"relevant\": expected a non-empty array of chunk or document ids",
        assertThrows(DocumentFormatException.class, () -> LabelledQuestion.load(f)).getMessage());
    Files.writeString(f,
        "{\"id\":\"a\",\"question\":\"Q?\",\"answer\":\"A\",\"relevant\":[\"x\"]}\n"
        + "{\"id\":\"b\",\"question\":\"\",\"answer\":\"A\",\"relevant\":[\"x\"]}\n");
    assertEquals(f + ":2: field \"question\": expected a non-empty string",
        assertThrows(DocumentFormatException.class, () -> LabelledQuestion.load(f)).getMessage());
    Files.writeString(f,
        "{\"id\":\"a\",\"question\":\"Q?\",\"answer\":\"A\",\"relevant\":[\"x\"]}\n"
        + "{\"id\":\"a\",\"question\":\"Q\",\"answer\":\"A\",\"relevant\":[\"x\"]}\n");
    assertEquals(f + ":2: field \"id\": \"a\" appears twice",
        assertThrows(DocumentFormatException.class, () -> LabelledQuestion.load(f)).getMessage());
  }
}
