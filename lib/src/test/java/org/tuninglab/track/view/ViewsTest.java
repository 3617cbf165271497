package org.tuninglab.track.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.tuninglab.track.GitInfo;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.TrackException;
import tech.tablesaw.api.Table;

class ViewsTest {

  @TempDir Path tmp;
  RunStore store;
  List<RunRecord> runs;

  @BeforeEach
  void twoRuns() {
    store = RunStore.open(tmp);
    for (double lr : new double[] {1e-5, 1e-3}) {
      Run run = store.newRun().optName("lr=" + lr).optGit(new GitInfo("0123456789abcdef", true))
          .optConfig(Map.of("lr", lr, "method", "lora", "lora", Map.of("r", 8, "alpha", lr > 1e-4 ? 32 : 16)))
          .start();
      for (int s = 1; s <= 3; s++) {
        run.log(s, "eval_loss", 1.0 / s + lr * 100);
      }
      run.finish(Map.of("best", 0.5));
    }
    runs = store.runs();
  }

  @Test
  void runTableHasOneRowPerRunWithFlattenedConfigAndSummary() {
    Table t = RunTable.of(store);
    assertEquals(2, t.rowCount());
    assertTrue(t.columnNames().containsAll(List.of("id", "status", "git", "config.lr", "config.lora.r", "config.method", "summary.best")), t.columnNames().toString());
    assertEquals("finished", t.stringColumn("status").get(0));
    assertEquals("0123456789+dirty", t.stringColumn("git").get(0));
    assertEquals(1e-3, t.doubleColumn("config.lr").get(1));
    assertEquals(6, RunTable.metrics(runs).rowCount());
  }

  @Test
  void curvesOverlayChosenRuns() {
    XYChart chart = MetricCurves.chart(runs, "eval_loss");
    assertEquals(2, chart.getSeriesMap().size());
    String msg = assertThrows(TrackException.class, () -> MetricCurves.chart(runs, "acc")).getMessage();
    assertTrue(msg.contains("none of the 2 runs logged metric 'acc'"), msg);
  }

  @Test
  void configDiffListsOnlyDifferingKeys() {
    Table d = ConfigDiff.of(runs);
    assertEquals(List.of("lr", "lora.alpha"), d.stringColumn("key").asList().stream().sorted(java.util.Comparator.reverseOrder()).toList());
    assertEquals(3, d.columnCount());
  }

  @Test
  void paramScatterUsesLogAxisForWideRanges() {
    XYChart chart = ParamScatter.chart(runs, "lr", "eval_loss");
    assertTrue(chart.getStyler().isXAxisLogarithmic());
    assertEquals(2, chart.getSeriesMap().get("eval_loss").getXData().length);
  }

  @Test
  void csvExportIsAtomicAndComplete() throws Exception {
    Path csv = CsvExport.write(RunTable.of(store), tmp.resolve("runs.csv"));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).startsWith("id,name,status,sweep,trial,created,git,"), lines.get(0));
  }
}
