package org.tuninglab.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * One JShell snippet of a cell and where it starts in the cell. JShell evaluates one snippet
 * at a time; a cell may hold several.
 */
record CellSnippet(String source, int offset, Completeness completeness) {

  private static final java.util.regex.Pattern EMPTY_BLOCK = java.util.regex.Pattern.compile("(\\s*;|\\s*\\{\\s*})*\\s*");

  /**
   * Whether this snippet is an empty block or statement, which does nothing: jjava's magic transpiler ends
   * each magic call with {@code {};}, and running it would make the cell's value {@code null}.
   */
  boolean isEmptyBlock() {
    return EMPTY_BLOCK.matcher(source).matches();
  }

  /** Splits {@code cell} into snippets; an unfinished tail becomes a last, incomplete snippet. */
  static List<CellSnippet> split(SourceCodeAnalysis analysis, String cell) {
    List<CellSnippet> snippets = new ArrayList<>();
    String remaining = cell;
    while (!remaining.isBlank()) {
      int offset = cell.length() - remaining.length();
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      Completeness completeness = info.completeness();
      if (!completeness.isComplete() || info.source() == null) {
        snippets.add(new CellSnippet(remaining, offset, completeness));
        break;
      }
      snippets.add(new CellSnippet(info.source(), offset, completeness));
      remaining = info.remaining();
    }
    return snippets;
  }
}
