package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The study on a config, every cell in a JVM of its own so that its peak memory is measured. */
class ConfigBatchStudyTest {
  /** The repository's tiny full fine-tuning preset: tests run in the {@code lib} module's folder. */
  private static final Path CONFIG = Path.of("../configs/tuninglab-tiny-full.yaml");

  @Test
  void everyCellCarriesItsMeasuredPeakNextToThePlannedOne() throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Integer> heard = new ArrayList<>();
    BatchSizeStudy.Result r = ConfigBatchStudy.run(CONFIG, List.of(1, 2), List.of(1), 4, 1e-3,
        LrScaling.LINEAR, 1, new PrintStream(log, true, StandardCharsets.UTF_8),
        (done, cell) -> heard.add(done));
    assertEquals(List.of(1, 2), heard);
    assertEquals(2, r.cells().size());
    Table table = r.table();
    assertEquals(2, table.rowCount());
    for (int i = 0; i < 2; i++) {
      BatchSizeStudy.Cell c = r.cells().get(i);
      assertEquals(i + 1, c.microBatch());
      assertEquals(4 / c.microBatch(), c.updates(), c.label());
      assertEquals(1e-3 * c.microBatch(), c.lr(), 1e-12, c.label());
      assertEquals(c.updates(), c.train().size(), c.label());
      assertTrue(Double.isFinite(c.holdoutLoss()), c.label());
      // A benchmark figure: only its sign is the code's to guarantee.
      assertTrue(c.measuredPeakBytes() > 0, c.label() + ": " + c.measuredPeakBytes());
      assertEquals(Math.round(c.measuredPeakBytes() / 1e5) / 10.0,
          table.doubleColumn("measured peak MB").get(i), c.label());
      assertTrue(c.plannedPeakBytes() > 0, c.label());
    }
    assertTrue(r.cells().get(0).plannedPeakBytes() < r.cells().get(1).plannedPeakBytes());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("in a JVM of its own"));
  }
}
