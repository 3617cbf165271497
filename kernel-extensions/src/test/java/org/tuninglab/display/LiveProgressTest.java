package org.tuninglab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveProgressTest {

  private final long[] now = {0};
  private final List<ProgressSnapshot> shown = new ArrayList<>();

  private LiveProgress progress(long total) {
    return new LiveProgress("train", total, shown::add, () -> now[0]);
  }

  @Test
  void aCounterStartsItsViewAtTheFirstReportAndFinishesAtTheTotal() {
    List<Long> starts = new ArrayList<>();
    var count = LiveProgress.counter("answers", total -> {
      starts.add(total);
      return progress(total);
    });
    for (int done = 1; done <= 3; done++) {
      now[0] += 1_000_000_000L;
      count.accept(done, 3);
    }
    assertEquals(List.of(3L), starts, "one view, started with the total");
    assertEquals(3, shown.get(shown.size() - 1).step());
    assertTrue(shown.get(shown.size() - 1).finished());
  }

  @Test
  void computesRateAndEta() {
    LiveProgress progress = progress(100);
    now[0] = 10_000_000_000L; // 10 s
    progress.update(25, 100, 1.5);
    ProgressSnapshot s = progress.snapshot();
    assertEquals(2.5, s.stepsPerSecond(), 1e-9);
    assertEquals(30.0, s.etaSeconds(), 1e-9);
    assertEquals(0.25, s.fraction(), 1e-9);
    assertEquals("train: step 25/100 (25%) · loss 1.5000 · 2.50 steps/s · ETA 0:30", ProgressHtml.text(s));
  }

  @Test
  void throttlesUpdatesButShowsTheLastStepAndTheFinish() {
    LiveProgress progress = progress(10);
    for (int step = 1; step <= 10; step++) {
      now[0] += 50_000_000L; // 50 ms a step: one shown update per 4 steps
      progress.update(step, 10, 1.0 / step);
    }
    progress.finish();
    assertEquals(List.of(0L, 4L, 8L, 10L, 10L), shown.stream().map(ProgressSnapshot::step).toList());
    assertTrue(shown.get(shown.size() - 1).finished());
    assertEquals(10, shown.get(shown.size() - 1).losses().size());
  }

  @Test
  void keepsABoundedLossHistory() {
    LiveProgress progress = progress(10_000);
    for (int step = 1; step <= 10_000; step++) {
      progress.update(step, 10_000, step);
    }
    List<Double> losses = progress.snapshot().losses();
    assertTrue(losses.size() <= ProgressState.MAX_POINTS && losses.size() > ProgressState.MAX_POINTS / 2, "" + losses.size());
    assertEquals(1.0, losses.get(0));
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> progress(0));
    LiveProgress progress = progress(5);
    assertThrows(IllegalArgumentException.class, () -> progress.update(-1, 5, 1));
    progress.finish();
    assertThrows(IllegalStateException.class, () -> progress.update(1, 5, 1));
  }

  @Test
  void htmlHasABarFiguresAndALossChart() {
    LiveProgress progress = progress(4);
    now[0] = 1_000_000_000L;
    progress.update(1, 4, 2.0);
    now[0] = 2_000_000_000L;
    progress.update(2, 4, 1.0);
    String html = ProgressHtml.html(progress.snapshot());
    assertTrue(html.contains("<progress value=\"2\" max=\"4\""), html);
    assertTrue(html.contains("loss 1.0000"), html);
    assertTrue(html.contains("<polyline"), html);
    assertEquals("<svg width=\"240\" height=\"48\" viewBox=\"0 0 240 48\"><polyline fill=\"none\" stroke=\"#1f77b4\" "
        + "stroke-width=\"1.5\" points=\"0.0,46.0 240.0,2.0\"/></svg>", ProgressHtml.sparkline(List.of(1.0, 2.0)));
  }

  @Test
  void formatsDurations() {
    assertEquals("0:05", ProgressHtml.duration(5));
    assertEquals("1:01:01", ProgressHtml.duration(3661));
    assertEquals("-", ProgressHtml.duration(Double.NaN));
  }
}
