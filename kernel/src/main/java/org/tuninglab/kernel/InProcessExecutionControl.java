package org.tuninglab.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs each JShell snippet in this JVM, on its own thread, and keeps the object it returned.
 *
 * <p>JShell's own engines either run code in another JVM (where {@code display()} cannot reach
 * the kernel) or hand back only a string; the kernel needs the object itself to render it.
 */
final class InProcessExecutionControl extends DirectExecutionControl {

  /** How long an interrupted snippet gets to notice {@link Thread#interrupt()} before it is stopped. */
  private static final long GRACE_MILLIS = 300;

  private final ClassLoader userLoader;
  private volatile Thread running;
  private volatile boolean cellActive;
  private volatile boolean interrupted;
  private volatile boolean abandoned;
  private Object lastValue;
  private Throwable lastThrown;

  InProcessExecutionControl() {
    // DirectExecutionControl's default loader delegate installs its class loader as the
    // context class loader of the constructing thread: that loader holds the user's classes.
    super();
    this.userLoader = Thread.currentThread().getContextClassLoader();
  }

  ClassLoader userLoader() {
    return userLoader;
  }

  /** Clears the state of the previous snippet; call before each {@code JShell.eval}. */
  void reset() {
    lastValue = null;
    lastThrown = null;
  }

  Object lastValue() {
    return lastValue;
  }

  Throwable lastThrown() {
    return lastThrown;
  }

  /**
   * Marks the start of a cell: from now until {@link #endCell()} an interrupt applies to it,
   * even while JShell is still compiling and no snippet runs yet.
   */
  void beginCell() {
    interrupted = false;
    cellActive = true;
  }

  void endCell() {
    cellActive = false;
  }

  /** Whether the current cell was interrupted. */
  boolean wasInterrupted() {
    return interrupted;
  }

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    Object[] result = new Object[1];
    Throwable[] thrown = new Throwable[1];
    Thread thread = new Thread(() -> {
      if (interrupted) {
        return;
      }
      ExitGuard.markCellThread();
      try {
        result[0] = doitMethod.invoke(null);
      } catch (InvocationTargetException e) {
        thrown[0] = e.getCause();
      } catch (Throwable t) {
        thrown[0] = t;
      }
    }, "jshell-cell");
    thread.setContextClassLoader(userLoader);
    thread.setDaemon(true);
    running = thread;
    abandoned = false;
    try {
      thread.start();
      while (thread.isAlive() && !abandoned) {
        thread.join(100);
      }
    } finally {
      running = null;
    }
    if (abandoned) {
      throw new IllegalStateException("The interrupted cell ignored the interrupt; its thread was abandoned.");
    }
    if (thrown[0] != null) {
      lastThrown = thrown[0];
      throw new InvocationTargetException(thrown[0]);
    }
    lastValue = result[0];
    return valueString(result[0]);
  }

  /**
   * Interrupts the current cell, if any: a snippet not yet started never runs; a running one is
   * interrupted politely, then, when it ignores that (a busy loop), its thread is stopped.
   * Returns at once; harmless between cells.
   */
  void interruptRunning() {
    if (!cellActive) {
      return;
    }
    interrupted = true;
    Thread thread = running;
    if (thread == null) {
      return;
    }
    thread.interrupt();
    Thread stopper = new Thread(() -> {
      try {
        thread.join(GRACE_MILLIS);
        if (thread.isAlive()) {
          forceStop(thread);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "jshell-cell-stopper");
    stopper.setDaemon(true);
    stopper.start();
  }

  @SuppressWarnings({"deprecation", "removal"})
  private void forceStop(Thread thread) throws InterruptedException {
    try {
      thread.stop();
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (UnsupportedOperationException gone) {
      // Thread.stop is gone after JDK 19: abandon the thread; the next cell runs on a new one.
      abandoned = true;
    }
  }

  @Override
  public void stop() {
    interruptRunning();
  }
}
