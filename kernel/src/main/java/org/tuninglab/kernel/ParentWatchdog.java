package org.tuninglab.kernel;

import java.util.Optional;

/**
 * Ends the kernel when the process that started it (the Jupyter client) is gone: a client that
 * is killed never sends a shutdown request, and a lingering kernel JVM holds gigabytes.
 */
final class ParentWatchdog {

  private static final long CHECK_MILLIS = 500;

  private ParentWatchdog() {}

  /** Watches {@code JPY_PARENT_PID} when set, else the parent process; runs {@code onGone} once it exits. */
  static void start(String parentPidVariable, Runnable onGone) {
    Optional<ProcessHandle> parent = parentPidVariable == null || parentPidVariable.isBlank()
        ? ProcessHandle.current().parent()
        : ProcessHandle.of(Long.parseLong(parentPidVariable.trim()));
    if (parent.isEmpty()) {
      onGone.run();
      return;
    }
    ProcessHandle watched = parent.get();
    Thread thread = new Thread(() -> {
      try {
        while (watched.isAlive()) {
          Thread.sleep(CHECK_MILLIS);
        }
        onGone.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "parent-watchdog");
    thread.setDaemon(true);
    thread.start();
  }
}
