package org.tuninglab.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fails a read that waits longer than a limit for its next byte. {@code java.net.http} bounds the
 * time to a response's headers but not the gaps in its body, so a connection that goes silent
 * mid-download would block forever; this closes the stream instead, which wakes the blocked read,
 * and the read throws {@link SocketTimeoutException} naming what was read. Only time spent inside
 * a read counts: a slow consumer is not a silent connection.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "idle-timeout-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final long limitNanos;
  private final String what;
  private final ScheduledFuture<?> check;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean reading;
  private volatile boolean timedOut;

  /**
   * Wraps a stream.
   *
   * @param in the stream, closed when this is
   * @param limit the longest wait for data; a read that waits longer fails
   * @param what what is read, for the error (a URL, a file name)
   */
  public IdleTimeoutInputStream(InputStream in, Duration limit, String what) {
    super(in);
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the idle limit must be positive, got " + limit);
    }
    this.limitNanos = limit.toNanos();
    this.what = what;
    long period = Math.max(5, limit.toMillis() / 4);
    this.check =
        WATCHDOG.scheduleWithFixedDelay(this::expireIfIdle, period, period, TimeUnit.MILLISECONDS);
  }

  private void expireIfIdle() {
    if (reading && System.nanoTime() - lastProgress > limitNanos) {
      timedOut = true;
      check.cancel(false);
      try {
        in.close();
      } catch (IOException ignored) {
        // closing is best effort: the read fails either way once it returns
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (timedOut) {
      throw timeout();
    }
    lastProgress = System.nanoTime();
    reading = true;
    try {
      int n = in.read(b, off, len);
      lastProgress = System.nanoTime();
      return n;
    } catch (IOException e) {
      if (timedOut) {
        SocketTimeoutException t = timeout();
        t.initCause(e);
        throw t;
      }
      throw e;
    } finally {
      reading = false;
    }
  }

  /**
   * Whether the limit passed and the stream was closed: a caller whose parser turned the failed
   * read into its own error can still tell why.
   */
  public boolean timedOut() {
    return timedOut;
  }

  private SocketTimeoutException timeout() {
    return new SocketTimeoutException(
        "no data from " + what + " for " + Duration.ofNanos(limitNanos).toMillis() + " ms");
  }

  @Override
  public void close() throws IOException {
    check.cancel(false);
    super.close();
  }
}
