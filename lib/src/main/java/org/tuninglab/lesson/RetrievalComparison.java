package org.tuninglab.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.tuninglab.rag.LabelledQuestion;
import org.tuninglab.rag.QuestionResult;
import org.tuninglab.rag.RetrievalMetrics;
import org.tuninglab.rag.Retriever;
import org.tuninglab.rag.ScoredChunk;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Retrievers side by side on the same labelled questions, at several cut-offs: each retriever's
 * {@link RetrievalMetrics} at each k. A question is retrieved once, at the largest k; the smaller
 * cut-offs score the top of that list, which is what a retrieval at that k returns (every
 * retriever here ranks the same way whatever k asks for).
 *
 * @param ks the cut-offs, ascending
 * @param results one entry per retriever, in the order given, each with its metrics at every k
 */
public record RetrievalComparison(List<Integer> ks, List<List<RetrievalMetrics>> results) {

  /** Copies the lists. */
  public RetrievalComparison {
    ks = List.copyOf(ks);
    results = results.stream().map(List::copyOf).toList();
  }

  /**
   * Measures each retriever at each cut-off.
   *
   * @param retrievers the retrievers, at least one
   * @param questions the labelled questions, at least one
   * @param ks the cut-offs, each at least 1
   * @return the comparison
   */
  public static RetrievalComparison of(
      List<? extends Retriever> retrievers, List<LabelledQuestion> questions, List<Integer> ks) {
    return of(retrievers, questions, ks, (done, total) -> {});
  }

  /**
   * Measures each retriever at each cut-off, reporting each retrieval (a dense retriever embeds
   * every query, the slow part).
   *
   * @param retrievers the retrievers, at least one
   * @param questions the labelled questions, at least one
   * @param ks the cut-offs, each at least 1
   * @param onRetrieval called after each retrieval with the retrievals done and the total
   * @return the comparison
   */
  public static RetrievalComparison of(
      List<? extends Retriever> retrievers, List<LabelledQuestion> questions, List<Integer> ks,
      BiConsumer<Integer, Integer> onRetrieval) {
    if (retrievers.isEmpty() || questions.isEmpty() || ks.isEmpty()) {
      throw new IllegalArgumentException("expected at least one retriever, one question and one k; got "
          + retrievers.size() + ", " + questions.size() + " and " + ks);
    }
    List<Integer> sorted = new ArrayList<>(new TreeSet<>(ks));
    if (sorted.get(0) < 1) {
      throw new IllegalArgumentException("k " + sorted.get(0) + ": expected at least 1");
    }
    int deepest = sorted.get(sorted.size() - 1);
    List<List<RetrievalMetrics>> results = new ArrayList<>();
    int total = retrievers.size() * questions.size();
    int done = 0;
    for (Retriever r : retrievers) {
      List<List<QuestionResult>> perK = new ArrayList<>();
      sorted.forEach(k -> perK.add(new ArrayList<>()));
      for (LabelledQuestion q : questions) {
        List<ScoredChunk> top = r.retrieve(q.question(), deepest);
        for (int i = 0; i < sorted.size(); i++) {
          perK.get(i).add(RetrievalMetrics.score(q, top.subList(0, Math.min(sorted.get(i), top.size()))));
        }
        onRetrieval.accept(++done, total);
      }
      List<RetrievalMetrics> metrics = new ArrayList<>();
      for (int i = 0; i < sorted.size(); i++) {
        metrics.add(RetrievalMetrics.of(r.name(), sorted.get(i), perK.get(i)));
      }
      results.add(metrics);
    }
    return new RetrievalComparison(sorted, results);
  }

  /**
   * One retriever's metrics at one cut-off.
   *
   * @param retriever the retriever's name
   * @param k one of {@link #ks()}
   * @return the metrics
   */
  public RetrievalMetrics get(String retriever, int k) {
    int at = ks.indexOf(k);
    for (List<RetrievalMetrics> row : results) {
      if (row.get(0).retriever().equals(retriever) && at >= 0) {
        return row.get(at);
      }
    }
    throw new IllegalArgumentException("no " + retriever + " at k " + k + ": measured "
        + results.stream().map(r -> r.get(0).retriever()).toList() + " at k " + ks);
  }

  /** The retrievers' names, in order. */
  public List<String> retrievers() {
    return results.stream().map(r -> r.get(0).retriever()).toList();
  }

  /**
   * The retriever with the highest recall at {@code k} (the first on a tie).
   *
   * @param k one of {@link #ks()}
   * @return its metrics
   */
  public RetrievalMetrics best(int k) {
    RetrievalMetrics best = null;
    for (String r : retrievers()) {
      RetrievalMetrics m = get(r, k);
      if (best == null || m.recall() > best.recall()) {
        best = m;
      }
    }
    return best;
  }

  /**
   * One row a retriever: recall at each k, then MRR at the largest.
   *
   * @param title the table's name
   * @return the table
   */
  public Table table(String title) {
    Table t = Table.create(title, StringColumn.create("retriever", retrievers()));
    for (int i = 0; i < ks.size(); i++) {
      int at = i;
      t.addColumns(DoubleColumn.create("recall@" + ks.get(i),
          results.stream().mapToDouble(r -> r.get(at).recall()).toArray()));
    }
    int last = ks.size() - 1;
    t.addColumns(DoubleColumn.create("MRR@" + ks.get(last),
        results.stream().mapToDouble(r -> r.get(last).mrr()).toArray()));
    return t;
  }
}
