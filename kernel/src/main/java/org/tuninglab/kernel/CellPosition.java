package org.tuninglab.kernel;

/** A 1-based line and column in a cell, with the text of that line. */
record CellPosition(int line, int column, String lineText) {

  /** The position of {@code offset} (0-based, clamped to the cell) in {@code cell}. */
  static CellPosition of(String cell, int offset) {
    int at = Math.max(0, Math.min(offset, cell.length()));
    int lineStart = cell.lastIndexOf('\n', at - 1) + 1;
    int lineEnd = cell.indexOf('\n', at);
    int line = 1;
    for (int i = 0; i < lineStart; i++) {
      if (cell.charAt(i) == '\n') {
        line++;
      }
    }
    String text = cell.substring(lineStart, lineEnd < 0 ? cell.length() : lineEnd);
    return new CellPosition(line, at - lineStart + 1, text);
  }
}
