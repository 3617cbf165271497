package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected values computed from transformers' lr_lambda formulas (peak 1e-3, warmup 3, total 10). */
class LrScheduleTest {
  @Test
  void cosineWithWarmup() {
    LrSchedule s = new LrSchedule(ScheduleKind.COSINE, 1e-3, 3, 10);
    assertEquals(0.0, s.lr(0));
    assertEquals(3.333333333e-4, s.lr(1), 1e-12);
    assertEquals(1e-3, s.lr(3), 1e-15);
    assertEquals(8.117449009e-4, s.lr(5), 1e-12);
    assertEquals(3.887395330e-4, s.lr(7), 1e-12);
    assertEquals(0.0, s.lr(10), 1e-15);
  }

  @Test
  void linearWithWarmup() {
    LrSchedule s = new LrSchedule(ScheduleKind.LINEAR, 1e-3, 3, 10);
    assertEquals(6.666666667e-4, s.lr(2), 1e-12);
    assertEquals(7.142857143e-4, s.lr(5), 1e-12);
    assertEquals(4.285714286e-4, s.lr(7), 1e-12);
    assertEquals(0.0, s.lr(12));
  }

  @Test
  void constantWithAndWithoutWarmup() {
    assertEquals(5e-4, new LrSchedule(ScheduleKind.CONSTANT, 1e-3, 2, 10).lr(1), 1e-15);
    assertEquals(1e-3, new LrSchedule(ScheduleKind.CONSTANT, 1e-3, 0, 10).lr(0));
    assertEquals(1e-3, new LrSchedule(ScheduleKind.CONSTANT, 1e-3, 2, 10).lr(9));
  }

  @Test
  void warmupRatioRoundsUpLikeTransformers() {
    assertEquals(4, LrSchedule.warmupFromRatio(0.03, 114));
    assertEquals(0, LrSchedule.warmupFromRatio(0, 114));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupFromRatio(1.5, 10));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule(ScheduleKind.COSINE, 1e-3, 0, 0));
  }
}
