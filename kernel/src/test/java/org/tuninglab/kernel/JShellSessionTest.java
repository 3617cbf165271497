package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JShellSessionTest {

  private static JShellSession session;

  @BeforeAll
  static void start() throws Exception {
    session = new JShellSession();
    session.importDefaults();
  }

  @AfterAll
  static void stop() {
    session.close();
  }

  @Test
  void returnsTheObjectOfTheLastExpressionNotItsString() throws Exception {
    Object value = session.eval("var list = new ArrayList<Integer>();\nlist.add(3);\nlist");
    assertEquals(List.of(3), value);
    assertTrue(value instanceof java.util.ArrayList);
  }

  @Test
  void trailingEmptyBlocksKeepTheValue() throws Exception {
    // jjava's magic transpiler ends a magic call with "{};": %time must keep the timed value.
    assertEquals("3", session.eval("String.valueOf(3);{};"));
  }

  @Test
  void documentationAnswersOnAMethodNameWithoutItsParenthesis() {
    String doc = session.documentation("Math.max", "Math.ma".length(), false);
    assertTrue(doc.contains("int Math.max(int a, int b)"), doc);
  }

  @Test
  void statementsAndDeclarationsHaveNoValue() throws Exception {
    assertNull(session.eval("int unused = 5;"));
    assertNull(session.eval("System.out.print(\"\");"));
  }

  @Test
  void compileErrorPointsIntoTheCell() {
    CompilationException e = assertThrows(CompilationException.class,
        () -> session.eval("int a = 1;\n  String b = a;"));
    assertTrue(e.getMessage().startsWith("line 2, column 14: incompatible types"), e.getMessage());
    assertEquals("      String b = a;", e.report().get(1));
    assertEquals("                 ^", e.report().get(2));
  }

  @Test
  void userExceptionsComeThroughAsThemselves() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> session.eval("throw new IllegalArgumentException(\"nope\");"));
    assertEquals("nope", e.getMessage());
    assertTrue(UserStackTrace.lines(e).get(1).contains("this cell"));
  }

  @Test
  void errorsAreWrapped() {
    UserError e = assertThrows(UserError.class, () -> session.eval("throw new AssertionError(\"deep\");"));
    assertTrue(e.getCause() instanceof AssertionError);
  }

  @Test
  void interruptStopsABusyLoop() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    // Interrupts repeatedly: on a loaded machine the first may land before the cell starts.
    Thread interrupter = new Thread(() -> {
      while (!done.get()) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException ignored) {
          return;
        }
        session.interrupt();
      }
    });
    interrupter.start();
    try {
      assertThrows(CellInterruptedException.class, () -> session.eval("long spin = 0; while (true) { spin++; }"));
    } finally {
      done.set(true);
      interrupter.join();
    }
    assertEquals(2, session.eval("1 + 1"));
  }

  @Test
  void interruptWhenIdleIsHarmless() throws Exception {
    session.interrupt();
    assertEquals("ok", session.eval("\"ok\""));
  }

  @Test
  void completesMembersOfTheSnippetAtTheCursor() {
    String code = "int k = 1;\nMath.ma";
    var options = session.complete(code, code.length());
    assertTrue(options.getReplacements().contains("max("), options.getReplacements().toString());
    assertEquals(code.length() - 2, options.getSourceStart());
  }

  @Test
  void anImportWithCommentsAndNewlinesKeepsTheVariablesOfEarlierCells() throws Exception {
    // Every snippet's class starts with the imports' text: a newline there shifted the line
    // numbers of the earlier snippets' classes, JShell replaced them, and their variables read null.
    session.eval("var kept = new StringBuilder(\"kept\");");
    session.eval("var derived = kept.length() + 1;");
    session.eval("\n// the concurrency classes\nimport java.util.concurrent.*;\n");
    session.eval("/* atomics */ import\n  java.util.concurrent.atomic.*;\n\n");
    assertEquals("kept", String.valueOf(session.eval("kept")));
    assertEquals(5, session.eval("derived"));
    assertEquals(3, session.eval("new AtomicInteger(3).get()"));
  }

  @Test
  void aBadImportAfterACommentPointsAtItsLine() {
    CompilationException e = assertThrows(CompilationException.class,
        () -> session.eval("// nothing here\nimport no.such.pkg.*;"));
    assertTrue(e.getMessage().startsWith("line 2, column "), e.getMessage());
    assertTrue(e.getMessage().contains("no.such.pkg"), e.getMessage());
  }

  @Test
  void isCompleteAnswers() {
    assertEquals(BaseKernel.IS_COMPLETE_YES, session.isComplete("int z = 1;"));
    assertEquals("    ", session.isComplete("if (true) {"));
  }
}
