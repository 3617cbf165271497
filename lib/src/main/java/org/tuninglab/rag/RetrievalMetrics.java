package org.tuninglab.rag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Retrieval quality over labelled questions, at a cut-off k: recall@k (the share of a question's
 * relevant ids in its top k, averaged), MRR@k (the mean of {@code 1 / rank} of the first relevant
 * chunk, 0 when none is in the top k) and hit rate@k (the share of questions with any relevant
 * chunk in the top k).
 *
 * @param retriever the retriever's name
 * @param k the cut-off
 * @param recall mean recall@k
 * @param mrr mean reciprocal rank within the top k
 * @param hitRate share of questions with a relevant chunk in the top k
 * @param perQuestion the results, in question order
 */
public record RetrievalMetrics(
    String retriever, int k, double recall, double mrr, double hitRate,
    List<QuestionResult> perQuestion) {

  public RetrievalMetrics {
    perQuestion = List.copyOf(perQuestion);
  }

  /**
   * Runs every question through a retriever and scores its top k.
   *
   * @param retriever the retriever
   * @param questions the labelled questions, at least one
   * @param k the cut-off
   * @return the averages and the per-question results
   */
  public static RetrievalMetrics evaluate(
      Retriever retriever, List<LabelledQuestion> questions, int k) {
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("no questions: expected at least one labelled question");
    }
    List<QuestionResult> results = new ArrayList<>();
    for (LabelledQuestion q : questions) {
      results.add(score(q, retriever.retrieve(q.question(), k)));
    }
    return of(retriever.name(), k, results);
  }

  /**
   * Scores one question's retrieved chunks.
   *
   * @param question the labelled question
   * @param top the retrieved chunks, best first (the cut-off already applied)
   * @return its result
   */
  public static QuestionResult score(LabelledQuestion question, List<ScoredChunk> top) {
    Set<String> found = new HashSet<>();
    int first = 0;
    List<String> ids = new ArrayList<>();
    for (int rank = 1; rank <= top.size(); rank++) {
      Chunk c = top.get(rank - 1).chunk();
      ids.add(c.id());
      String label = question.matchedLabel(c);
      if (label != null) {
        found.add(label);
        if (first == 0) {
          first = rank;
        }
      }
    }
    double recall = (double) found.size() / question.relevant().size();
    return new QuestionResult(question.id(), question.question(), first, recall, ids);
  }

  /**
   * Averages per-question results.
   *
   * @param retriever the retriever's name
   * @param k the cut-off the results used
   * @param results at least one result
   * @return the metrics
   */
  public static RetrievalMetrics of(String retriever, int k, List<QuestionResult> results) {
    double recall = 0;
    double mrr = 0;
    double hits = 0;
    for (QuestionResult r : results) {
      recall += r.recall();
      mrr += r.reciprocalRank();
      hits += r.hit() ? 1 : 0;
    }
    int n = results.size();
    return new RetrievalMetrics(retriever, k, recall / n, mrr / n, hits / n, results);
  }

  /** One row a question: id, question, rank of the first relevant chunk, recall, RR, top id. */
  public Table table() {
    StringColumn id = StringColumn.create("id");
    StringColumn question = StringColumn.create("question");
    IntColumn rank = IntColumn.create("first relevant rank");
    DoubleColumn recallCol = DoubleColumn.create("recall@" + k);
    DoubleColumn rr = DoubleColumn.create("reciprocal rank");
    StringColumn top = StringColumn.create("top chunk");
    for (QuestionResult r : perQuestion) {
      id.append(r.id());
      question.append(r.question());
      rank.append(r.firstRelevantRank());
      recallCol.append(r.recall());
      rr.append(r.reciprocalRank());
      top.append(r.retrieved().isEmpty() ? "" : r.retrieved().get(0));
    }
    return Table.create(retriever + " @" + k, id, question, rank, recallCol, rr, top);
  }

  /** One line: {@code bm25 @5: recall 0.900, MRR 0.800, hit rate 0.950 (40 questions)}. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "%s @%d: recall %.3f, MRR %.3f, hit rate %.3f (%d questions)",
        retriever, k, recall, mrr, hitRate, perQuestion.size());
  }
}
