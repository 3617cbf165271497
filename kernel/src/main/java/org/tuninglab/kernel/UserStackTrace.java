package org.tuninglab.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A stack trace cut down to the user's code: the frames below the last JShell snippet frame
 * belong to the kernel and reflection, and only hide the user's own frames.
 */
final class UserStackTrace {

  /** JShell compiles every snippet into a class of this package. */
  private static final String SNIPPET_PACKAGE = "REPL.";

  /** Frames shown per exception: a runaway recursion has a thousand identical ones. */
  private static final int MAX_FRAMES = 50;

  private UserStackTrace() {}

  /**
   * Cuts the kernel's frames off {@code thrown} and its causes, so that every report of it (the
   * error output and the execute reply that nbconvert prints) shows the user's frames only.
   */
  static void trim(Throwable thrown) {
    for (Throwable t : chain(thrown)) {
      StackTraceElement[] frames = t.getStackTrace();
      int keep = userFrameCount(frames);
      if (keep < frames.length) {
        t.setStackTrace(java.util.Arrays.copyOf(frames, keep));
      }
    }
  }

  /** The report of {@code thrown} and its causes, snippet frames named for the user. */
  static List<String> lines(Throwable thrown) {
    List<String> lines = new ArrayList<>();
    String prefix = "";
    for (Throwable current : chain(thrown)) {
      lines.add(prefix + current);
      StackTraceElement[] frames = current.getStackTrace();
      for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
        lines.add("\tat " + describe(frames[i]));
      }
      if (frames.length > MAX_FRAMES) {
        lines.add("\t... " + (frames.length - MAX_FRAMES) + " more");
      }
      prefix = "Caused by: ";
    }
    return lines;
  }

  /** {@code thrown} and its causes, each once (a cause chain may loop). */
  private static List<Throwable> chain(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
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
