package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserStackTraceTest {

  private static StackTraceElement frame(String type, String method) {
    return new StackTraceElement(type, method, null, -1);
  }

  @Test
  void trimsKernelFramesBelowTheCellAndNamesCellFrames() {
    IllegalStateException e = new IllegalStateException("bad");
    e.setStackTrace(new StackTraceElement[] {
        frame("java.util.Objects", "requireNonNull"),
        frame("REPL.$JShell$15", "boom"),
        frame("REPL.$JShell$16", "do_it$"),
        frame("java.lang.reflect.Method", "invoke"),
        frame("org.tuninglab.kernel.InProcessExecutionControl", "invoke")});
    UserStackTrace.trim(e);
    assertEquals(List.of(
        "java.lang.IllegalStateException: bad",
        "\tat java.util.Objects.requireNonNull(Unknown Source)",
        "\tat boom(...) (cell code)",
        "\tat this cell (cell code)"), UserStackTrace.lines(e));
  }

  @Test
  void survivesCausesThatLoop() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    a.setStackTrace(new StackTraceElement[0]);
    b.setStackTrace(new StackTraceElement[0]);
    assertEquals(List.of("java.lang.RuntimeException: a", "Caused by: java.lang.RuntimeException: b"),
        UserStackTrace.lines(a));
  }
}
