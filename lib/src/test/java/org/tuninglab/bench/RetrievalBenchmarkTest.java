package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The retrieval benchmark at a tiny size: that it measures and reports, not how fast. */
class RetrievalBenchmarkTest {

  @Test
  void measuresEveryFigureAndPrintsTheRatios() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RetrievalBenchmark.Result r = RetrievalBenchmark.run(
        new RetrievalBenchmark.Settings(300, 20, 5, 4, 2, 7),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("corpus: 300 chunks ("), text);
    assertTrue(text.contains("BM25 is ") && text.contains("x faster than the scan"), text);
    assertTrue(text.contains("batching is "), text);
    assertEquals(8, text.lines().count(), text);
    for (double v : new double[] {r.bm25BuildSeconds(), r.bm25Median(), r.scanMedian(),
        r.cosineMedian(), r.singleChunksPerSecond(), r.batchedChunksPerSecond()}) {
      assertTrue(v > 0 && Double.isFinite(v), r.toString());
    }
    assertTrue(r.bm25P95() >= r.bm25Median() && r.scanP95() >= r.scanMedian(), r.toString());
    assertEquals(r.scanMedian() / r.bm25Median(), r.bm25Speedup(), 1e-12);
  }
}
