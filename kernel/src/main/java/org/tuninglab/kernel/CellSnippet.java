package org.tuninglab.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.ImportSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * One JShell snippet of a cell and where it starts in the cell. JShell evaluates one snippet
 * at a time; a cell may hold several.
 */
record CellSnippet(String source, int offset, Completeness completeness) {

  private static final java.util.regex.Pattern EMPTY_BLOCK = java.util.regex.Pattern.compile("(\\s*;|\\s*\\{\\s*})*\\s*");
  private static final java.util.regex.Pattern IMPORT_NAME = java.util.regex.Pattern.compile("[\\p{L}\\p{N}_$.]+(\\.\\*)?");

  /**
   * Whether this snippet is an empty block or statement, which does nothing: jjava's magic transpiler ends
   * each magic call with {@code {};}, and running it would make the cell's value {@code null}.
   */
  boolean isEmptyBlock() {
    return EMPTY_BLOCK.matcher(source).matches();
  }

  /**
   * This snippet as JShell should see it: an import becomes one line ({@code import a.b.*;}),
   * starting where its {@code import} keyword is in the cell; any other snippet is unchanged.
   *
   * <p>JShell puts the text of every import at the top of each snippet's class. A newline in an
   * import (a comment or blank line around it, a name split over lines) moves the code of every
   * class compiled after it down, so a new import recompiles the earlier snippets into different
   * bytecode. JShell's own agent redefines such classes in place; this kernel's in-process engine
   * cannot, so JShell replaced them with new classes whose fields were unset, and the variables of
   * earlier cells read null. On one line, an import leaves the other classes' bytecode as it was.
   */
  CellSnippet forJShell(SourceCodeAnalysis analysis) {
    int start = codeStart(source);
    if (!source.startsWith("import", start)) {
      return this;
    }
    List<Snippet> parsed = analysis.sourceToSnippets(source);
    if (parsed.size() != 1 || !(parsed.get(0) instanceof ImportSnippet imported)
        || !IMPORT_NAME.matcher(imported.fullname()).matches()) {
      return this;
    }
    String line = "import " + (imported.isStatic() ? "static " : "") + imported.fullname() + ";";
    return new CellSnippet(line, offset + start, completeness);
  }

  /** Where the code of {@code source} starts, after whitespace and comments. */
  private static int codeStart(String source) {
    int i = 0;
    while (i < source.length()) {
      if (Character.isWhitespace(source.charAt(i))) {
        i++;
      } else if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? source.length() : end + 1;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
      } else {
        break;
      }
    }
    return i;
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
