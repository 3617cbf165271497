package org.tuninglab.chat;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that has delivered nothing for longer than a limit: the JDK's HTTP client
 * bounds the wait for a response to begin but not the gaps inside its body, where a stream that
 * goes silent would otherwise block its reader forever.
 */
final class SilenceWatchdog implements AutoCloseable {
  private final long limitNanos;
  private final Closeable target;
  private final ScheduledFuture<?> task;
  private volatile long lastActivity = System.nanoTime();
  private volatile boolean fired;

  SilenceWatchdog(ScheduledExecutorService timer, Duration limit, Closeable target) {
    this.limitNanos = limit.toNanos();
    this.target = target;
    long period = Math.max(5, limit.toMillis() / 4);
    this.task = timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  private void check() {
    if (!fired && System.nanoTime() - lastActivity > limitNanos) {
      fired = true;
      try {
        target.close(); // a blocked read then ends
      } catch (IOException e) {
        // The reader sees the end of the stream either way; fired() tells it why.
      }
    }
  }

  /** Whether the limit passed and the body was closed. */
  boolean fired() {
    return fired;
  }

  /** {@code in}, counting every read that returns as activity. */
  InputStream watch(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        lastActivity = System.nanoTime();
        return b;
      }

      @Override
      public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        lastActivity = System.nanoTime();
        return n;
      }
    };
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
