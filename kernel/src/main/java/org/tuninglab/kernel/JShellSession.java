package org.tuninglab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;

/** A JShell whose snippets run in this JVM: evaluation, completion, documentation, completeness. */
final class JShellSession implements AutoCloseable {

  /** Imports every cell sees, as in JJava/IJava. */
  static final List<String> DEFAULT_IMPORTS = List.of(
      "import java.util.*;",
      "import java.util.function.*;",
      "import java.util.stream.*;",
      "import java.io.*;",
      "import java.math.*;",
      "import java.nio.file.*;",
      "import java.time.*;",
      "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*;");

  private final InProcessExecutionControl control;
  private final JShell shell;
  private final SourceCodeAnalysis analysis;

  JShellSession() {
    this.control = new InProcessExecutionControl();
    this.shell = JShell.builder().executionEngine(new InProcessEngine(control), Map.of()).build();
    this.analysis = shell.sourceCodeAnalysis();
    // One call: JShell re-reads its whole classpath on each addToClasspath.
    shell.addToClasspath(System.getProperty("java.class.path"));
  }

  ClassLoader userLoader() {
    return control.userLoader();
  }

  /** Makes {@code path} (a jar or class folder) visible to later cells. */
  void addToClasspath(String path) {
    shell.addToClasspath(path);
  }

  /** Runs the default imports; a failure here is a bug, not a user error. */
  void importDefaults() throws Exception {
    for (String importLine : DEFAULT_IMPORTS) {
      eval(importLine);
    }
  }

  /**
   * Evaluates a cell snippet by snippet and returns the value of its last snippet when that is
   * an expression, else {@code null}; empty blocks are skipped, so {@code %time expr} keeps
   * the value of {@code expr}.
   */
  Object eval(String cell) throws Exception {
    control.beginCell();
    try {
      Object value = null;
      for (CellSnippet piece : CellSnippet.split(analysis, cell)) {
        if (!piece.isEmptyBlock()) {
          value = evalSnippet(cell, piece.forJShell(analysis));
        }
      }
      return value;
    } finally {
      control.endCell();
    }
  }

  private Object evalSnippet(String cell, CellSnippet piece) throws Exception {
    control.reset();
    List<SnippetEvent> events = shell.eval(piece.source());
    if (control.wasInterrupted()) {
      throw new CellInterruptedException();
    }
    for (SnippetEvent event : events) {
      if (event.causeSnippet() != null) {
        continue;
      }
      Snippet snippet = event.snippet();
      if (event.status() == Snippet.Status.REJECTED) {
        throw compilationError(cell, piece, snippet);
      }
      JShellException failure = event.exception();
      if (failure != null) {
        Throwable thrown = control.lastThrown();
        if (thrown != null) {
          UserStackTrace.trim(thrown);
        }
        if (thrown instanceof Exception userException) {
          throw userException;
        }
        if (thrown instanceof Error userError) {
          throw new UserError(userError);
        }
        throw failure;
      }
      if (isExpression(snippet)) {
        return control.lastValue();
      }
    }
    return null;
  }

  private static boolean isExpression(Snippet snippet) {
    return snippet.kind() == Snippet.Kind.EXPRESSION
        || snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
  }

  private CompilationException compilationError(String cell, CellSnippet piece, Snippet snippet) {
    List<String> report = new ArrayList<>();
    String first = null;
    for (Diag diag : shell.diagnostics(snippet).collect(Collectors.toList())) {
      if (!diag.isError()) {
        continue;
      }
      CellPosition at = CellPosition.of(cell, piece.offset() + (int) Math.max(0, diag.getStartPosition()));
      String message = diag.getMessage(Locale.ROOT);
      String headline = "line " + at.line() + ", column " + at.column() + ": " + message;
      if (first == null) {
        first = headline;
      }
      report.add(headline);
      report.add("    " + at.lineText());
      report.add("    " + " ".repeat(at.column() - 1) + "^");
    }
    if (first == null) {
      first = "line " + CellPosition.of(cell, piece.offset()).line()
          + ": the snippet was rejected (" + piece.completeness() + ")";
      report.add(first);
    }
    return new CompilationException(first, report);
  }

  /** Completion candidates at {@code cursor}, replacing the identifier that ends there. */
  ReplacementOptions complete(String code, int cursor) {
    int start = snippetStart(code, cursor);
    int[] anchor = new int[1];
    Set<String> names = new LinkedHashSet<>();
    String source = code.substring(start, cursor);
    for (SourceCodeAnalysis.Suggestion suggestion : analysis.completionSuggestions(source, source.length(), anchor)) {
      names.add(suggestion.continuation());
    }
    return new ReplacementOptions(new ArrayList<>(names), start + anchor[0], cursor);
  }

  /**
   * The signatures of what is at {@code cursor}, each with its Javadoc where JShell has the
   * sources (the JDK's {@code lib/src.zip}): the first paragraph, or all of it when {@code detail}.
   * A cursor on a method name without its parenthesis (Shift-Tab on {@code Math.max}) is
   * answered as if the parenthesis were there.
   */
  String documentation(String code, int cursor, boolean detail) {
    int end = cursor;
    while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
      end++;
    }
    String source = code.substring(snippetStart(code, cursor), end);
    List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(source, source.length(), true);
    if (docs.isEmpty() && !source.isEmpty() && Character.isJavaIdentifierPart(source.charAt(source.length() - 1))) {
      docs = analysis.documentation(source + "(", source.length() + 1, true);
    }
    return docs.stream()
        .map(doc -> doc.javadoc() == null || doc.javadoc().isBlank()
            ? doc.signature()
            : doc.signature() + "\n" + JavadocText.plain(doc.javadoc(), detail))
        .collect(Collectors.joining("\n\n"));
  }

  /** Jupyter's is_complete answer for {@code code}: complete, invalid, or an indent. */
  String isComplete(String code) {
    List<CellSnippet> pieces = CellSnippet.split(analysis, code);
    if (pieces.isEmpty()) {
      return BaseKernel.IS_COMPLETE_YES;
    }
    return switch (pieces.get(pieces.size() - 1).completeness()) {
      case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> BaseKernel.IS_COMPLETE_YES;
      case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "    ";
      case UNKNOWN -> BaseKernel.IS_COMPLETE_BAD;
    };
  }

  /** Where the snippet that the cursor is in starts: the cell's earlier snippets don't matter. */
  private int snippetStart(String code, int cursor) {
    List<CellSnippet> pieces = CellSnippet.split(analysis, code.substring(0, cursor));
    return pieces.isEmpty() ? cursor : pieces.get(pieces.size() - 1).offset();
  }

  /** Interrupts the running cell, if any; harmless when idle. */
  void interrupt() {
    control.interruptRunning();
  }

  @Override
  public void close() {
    shell.close();
  }
}
