package org.tuninglab.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.track.bench.BenchWriterMain;
import org.tuninglab.track.bench.TrackBenchmark;

/** The benchmark runs end to end at a tiny size and reports every figure with its reference. */
class TrackBenchmarkTest {

  @TempDir Path tmp;

  @Test
  void producesAllFigures() throws Exception {
    List<TrackBenchmark.Figure> figures = TrackBenchmark.run(tmp, 300, 2, 4);
    assertEquals(8, figures.size());
    assertTrue(figures.stream().allMatch(f -> f.value() > 0), figures.toString());
    assertEquals(2, figures.stream().filter(f -> Double.isNaN(f.ratio())).count(), "two references");
    String table = TrackBenchmark.format(figures);
    assertTrue(table.contains("run store, 2 writer processes (total)"), table);
    int rounds = 3 * 300;
    int threads = 2 * 300;
    int processes = 2 * (BenchWriterMain.WARMUP + 300);
    assertEquals(rounds + threads + processes, RunStore.open(tmp).runs().stream()
        .filter(r -> r.id().startsWith("bench-") && !r.id().startsWith("bench-bare") && r.meta().sweep() == null)
        .mapToInt(r -> r.metrics().size()).sum(), "every benchmark point was stored");
  }
}
