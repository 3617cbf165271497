package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CellPositionTest {

  @Test
  void countsLinesAndColumnsFromOne() {
    assertEquals(new CellPosition(1, 1, "ab"), CellPosition.of("ab\ncd", 0));
    assertEquals(new CellPosition(2, 2, "cd"), CellPosition.of("ab\ncd", 4));
  }

  @Test
  void clampsOffsetsOutsideTheCell() {
    assertEquals(new CellPosition(2, 3, "cd"), CellPosition.of("ab\ncd", 99));
    assertEquals(new CellPosition(1, 1, "ab"), CellPosition.of("ab\ncd", -4));
  }
}
