package org.tuninglab.track;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A live writer's claim on its RUNNING run: the run folder's {@code heartbeat} file, touched every
 * {@link #RENEW}. A process killed with -9, or a node that died, cannot mark its run ended; a reader
 * that finds the heartbeat older than {@link #DURATION} sees the run as {@link RunStatus#CRASHED}
 * instead of RUNNING forever. Readers only derive this; the run's files are left as they are, so a
 * writer that was merely stalled (a suspended laptop) renews and ends its run normally.
 */
final class RunLease implements AutoCloseable {

  /** How long a heartbeat counts; generous against clock skew between nodes of a shared store. */
  static final Duration DURATION = Duration.ofMinutes(2);

  private static final Duration RENEW = Duration.ofSeconds(20);
  private static final String FILE = "heartbeat";
  private static final ScheduledExecutorService RENEWER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tuninglab-run-lease");
        t.setDaemon(true);
        return t;
      });

  private final ScheduledFuture<?> renewal;

  private RunLease(Path runDir) {
    Path file = runDir.resolve(FILE);
    touch(file);
    renewal = RENEWER.scheduleAtFixedRate(
        () -> touch(file), RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes the lease of a run this process writes, renewing it until {@link #close()}. */
  static RunLease hold(Path runDir) {
    return new RunLease(runDir);
  }

  private static void touch(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      // A missed renewal is retried at the next one; only a lease left to expire marks a crash.
    }
  }

  /** Stops renewing: the run has ended or another writer took it over. */
  @Override
  public void close() {
    renewal.cancel(false);
  }

  /**
   * The status readers should see: a RUNNING run whose heartbeat (or, for runs written before
   * heartbeats, its last status change) is older than the lease is CRASHED.
   *
   * @param runDir the run's folder
   * @param status its recorded status
   * @param now the reader's clock, epoch milliseconds
   */
  static StatusRecord observed(Path runDir, StatusRecord status, long now) {
    if (status.status() != RunStatus.RUNNING) {
      return status;
    }
    long last = status.updated();
    try {
      last = Math.max(last, Files.getLastModifiedTime(runDir.resolve(FILE)).toMillis());
    } catch (NoSuchFileException e) {
      // written before heartbeats existed: the last status change stands in
    } catch (IOException e) {
      throw new TrackException("cannot read the heartbeat of run " + runDir + ": " + e, e);
    }
    if (now - last <= DURATION.toMillis()) {
      return status;
    }
    return new StatusRecord(
        RunStatus.CRASHED, last,
        "its writer " + status.writer() + " stopped renewing its lease at " + Instant.ofEpochMilli(last)
            + " and did not end the run within " + DURATION.toSeconds() + " s (killed, or its node"
            + " died); resume the run to continue it",
        status.writer());
  }
}
