package org.tuninglab.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack trace cut down to the user's code: the frames below the last JShell snippet frame
 * belong to the kernel and reflection, and only hide the user's own frames.
 */
final class UserStackTrace {

  /** JShell compiles every snippet into a class of this package. */
  private static final String SNIPPET_PACKAGE = "REPL.";

  private UserStackTrace() {}

  /**
   * Cuts the kernel's frames off {@code thrown} and its causes, so that every report of it (the
   * error output and the execute reply that nbconvert prints) shows the user's frames only.
   */
  static void trim(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      StackTraceElement[] frames = t.getStackTrace();
      int keep = userFrameCount(frames);
      if (keep < frames.length) {
        t.setStackTrace(java.util.Arrays.copyOf(frames, keep));
      }
    }
  }

  static List<String> lines(Throwable thrown) {
    List<String> lines = new ArrayList<>();
    Throwable current = thrown;
    String prefix = "";
    while (current != null && lines.size() < 200) {
      lines.add(prefix + current);
      StackTraceElement[] frames = current.getStackTrace();
      int keep = userFrameCount(frames);
      for (int i = 0; i < keep; i++) {
        lines.add("\tat " + describe(frames[i]));
      }
      if (keep < frames.length) {
        lines.add("\t... " + (frames.length - keep) + " kernel frames");
      }
      current = current.getCause() == current ? null : current.getCause();
      prefix = "Caused by: ";
    }
    return lines;
  }

  private static int userFrameCount(StackTraceElement[] frames) {
    for (int i = frames.length - 1; i >= 0; i--) {
      if (frames[i].getClassName().startsWith(SNIPPET_PACKAGE)) {
        return i + 1;
      }
    }
    // No snippet frame: the failure is the kernel's own (a magic), so keep the whole trace.
    return frames.length;
  }

  private static String describe(StackTraceElement frame) {
    if (frame.getClassName().startsWith(SNIPPET_PACKAGE)) {
      // "REPL.$JShell$12.do_it$" says nothing to a notebook user: name the method only.
      String method = frame.getMethodName();
      return (method.startsWith("do_it") ? "this cell" : method + "(...)") + " (cell code)";
    }
    return frame.toString();
  }
}
