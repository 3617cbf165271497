package org.tuninglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CopyDrillTest {

  @Test
  void everyRowIsSegmentsEachShownTwiceWithVaryingLengths() {
    List<EncodedExample> rows = CopyDrill.rows(20, 300, 1000, 7);
    assertEquals(20, rows.size());
    Set<Integer> lengths = new TreeSet<>();
    for (EncodedExample row : rows) {
      int[] ids = row.ids();
      assertEquals(300, ids.length);
      assertEquals(300, row.trainedCount());
      assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0 && id < 1000), row.origin());
      // Walk the row segment by segment; only a last segment whose first pass the row's end cut
      // (at most 100 tokens) is left over.
      int at = 0;
      while (at < ids.length) {
        int n = segmentAt(ids, at);
        if (n < 0) {
          break;
        }
        lengths.add(n);
        at += 2 * n;
      }
      assertTrue(ids.length - at <= 100, row.origin() + " parses only to " + at);
    }
    assertTrue(lengths.stream().allMatch(n -> n >= CopyDrill.MIN_SEGMENT && n <= 100), "" + lengths);
    assertTrue(lengths.size() > 20, "segment lengths vary: " + lengths);
  }

  @Test
  void segmentsNeverOutgrowHalfTheRow() {
    for (EncodedExample row : CopyDrill.rows(10, 40, 1000, 3)) {
      int n = segmentAt(row.ids(), 0);
      assertTrue(n >= CopyDrill.MIN_SEGMENT && n <= 20, "first segment " + n);
    }
  }

  @Test
  void rowsFollowTheSeed() {
    assertArrayEquals(
        CopyDrill.rows(3, 64, 100, 11).get(2).ids(), CopyDrill.rows(3, 64, 100, 11).get(2).ids());
    assertNotEquals(
        Arrays.toString(CopyDrill.rows(1, 64, 100, 11).get(0).ids()),
        Arrays.toString(CopyDrill.rows(1, 64, 100, 12).get(0).ids()));
    assertEquals(0, CopyDrill.rows(0, 64, 100, 11).size());
  }

  @Test
  void impossibleDrillsAreRefusedWithTheFigures() {
    IllegalArgumentException shortRow =
        assertThrows(IllegalArgumentException.class, () -> CopyDrill.rows(1, 15, 100, 1));
    assertTrue(shortRow.getMessage().contains("15 tokens"), shortRow.getMessage());
    assertTrue(shortRow.getMessage().contains("at least 16"), shortRow.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CopyDrill.rows(-1, 64, 100, 1));
    assertThrows(IllegalArgumentException.class, () -> CopyDrill.rows(1, 64, 1, 1));
  }

  /**
   * The length of the segment starting at {@code at} (its repeat follows it, possibly cut by the
   * row's end), or -1 when none fits. Over 1,000 ids a false match of 8 or more tokens is
   * vanishingly rare; the smallest matching length is taken.
   */
  private static int segmentAt(int[] ids, int at) {
    for (int n = CopyDrill.MIN_SEGMENT; n <= CopyDrill.MAX_SEGMENT; n++) {
      if (at + n >= ids.length) {
        return -1;
      }
      int compared = Math.min(n, ids.length - at - n);
      boolean repeats = true;
      for (int i = 0; i < compared && repeats; i++) {
        repeats = ids[at + i] == ids[at + n + i];
      }
      if (repeats && (compared == n || at + 2 * n >= ids.length)) {
        return n;
      }
    }
    return -1;
  }
}
