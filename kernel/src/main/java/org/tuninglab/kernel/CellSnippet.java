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
