package org.tuninglab.track.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tuninglab.track.Environment;
import org.tuninglab.track.LockFile;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunStatus;
import org.tuninglab.track.StoreFiles;
import org.tuninglab.track.StoreJson;
import org.tuninglab.track.TrackException;

/**
 * Hands out trials to workers. A worker first reclaims a trial that is pending, lost (lease
 * expired), preempted, failed with retries left, or claimed by its own earlier incarnation (a
 * requeued Slurm task keeps its worker id); otherwise it proposes the next trial under the sweep's
 * lock file. Each attempt is claimed by exclusively creating {@code claim-K.json}, so two workers
 * never run the same attempt and no trial is lost.
 */
public final class SweepController {

  /** After this many attempts a lost or preempted trial is given up as failed. */
  static final int MAX_ATTEMPTS = 10;
  private static final Duration LOCK_STALE = Duration.ofSeconds(30);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(120);

  private final Sweep sweep;

  SweepController(Sweep sweep) {
    this.sweep = sweep;
  }

  public Sweep sweep() {
    return sweep;
  }

  /** Claims the next trial for {@code worker}, or empty when every trial is taken or ended. */
  public Optional<Trial> claimNext(String worker, Duration lease) {
    while (true) {
      List<TrialInfo> trials = sweep.trials();
      for (TrialInfo t : trials) {
        if (claimable(t, worker)) {
          Optional<Trial> claimed = tryClaim(t, worker, lease);
          if (claimed.isPresent()) {
            return claimed;
          }
        }
      }
      if (trials.size() >= sweep.spec().runCap()) {
        return Optional.empty();
      }
      propose(trials.size());
    }
  }

  private boolean claimable(TrialInfo t, String worker) {
    if (t.attempts() >= MAX_ATTEMPTS + sweep.spec().maxRetries()) {
      return false;
    }
    return switch (t.state()) {
      case PENDING, LOST, PREEMPTED -> true;
      case RUNNING -> worker.equals(t.worker());
      case FAILED -> t.attempts() <= sweep.spec().maxRetries();
      case FINISHED, PRUNED -> false;
    };
  }

  // Proposes trial `expected` unless another worker already did while we waited for the lock.
  private void propose(int expected) {
    LockFile lock = LockFile.acquire(sweep.dir().resolve("lock"), LOCK_STALE, LOCK_WAIT);
    try {
      int n = 0;
      while (Files.exists(sweep.trialDir(n).resolve("params.json"))) {
        n++;
      }
      if (n != expected || n >= sweep.spec().runCap()) {
        return;
      }
      List<Observation> done = new ArrayList<>();
      for (TrialInfo t : sweep.trials()) {
        if (t.state() == TrialState.FINISHED && t.value() != null) {
          done.add(new Observation(t.params(), sweep.spec().goal().asLoss(t.value())));
        }
      }
      Map<String, Object> params = Sampler.of(sweep.spec()).suggest(n, done);
      Path tdir = sweep.trialDir(n);
      try {
        Files.createDirectories(tdir);
      } catch (java.io.IOException e) {
        throw new TrackException("cannot create trial folder " + tdir + ": " + e, e);
      }
      StoreJson.write(tdir.resolve("params.json"), new TrialRecord(n, params, System.currentTimeMillis()));
    } finally {
      lock.close();
    }
  }

  private Optional<Trial> tryClaim(TrialInfo t, String worker, Duration lease) {
    Path tdir = sweep.trialDir(t.number());
    int attempt = t.attempts();
    Environment env = Environment.capture();
    String restarts = System.getenv("SLURM_RESTART_COUNT");
    ClaimRecord claim = new ClaimRecord(worker, env.host(), ProcessHandle.current().pid(),
        System.currentTimeMillis(), lease.toMillis(), env.slurmJob(),
        restarts == null ? 0 : Integer.parseInt(restarts.strip()));
    if (!StoreFiles.createExclusive(tdir.resolve("claim-" + attempt + ".json"), StoreJson.bytes(claim))) {
      return Optional.empty();
    }
    StoreJson.write(tdir.resolve("lease.json"),
        new LeaseRecord(attempt, worker, System.currentTimeMillis() + lease.toMillis()));
    Run run = sweep.store().findRun(t.runId()).isPresent()
        ? sweep.store().resume(t.runId())
        : sweep.store().newRun()
            .optId(t.runId())
            .optName(sweep.name() + " #" + t.number())
            .optConfig(t.params())
            .optSweep(sweep.name(), t.number())
            .start();
    return Optional.of(new Trial(sweep, t.number(), t.params(), attempt, worker, lease, run));
  }

  /**
   * Ends a trial after its function returned ({@code error} null) or threw. A trial that never
   * reported the sweep metric fails with a message naming the metric and what it did report.
   */
  public void complete(Trial trial, Throwable error) {
    trial.stopHeartbeat();
    Run run = trial.run();
    if (trial.superseded()) {
      run.detach();
      return;
    }
    if (run.status() != RunStatus.RUNNING) {
      return;
    }
    if (error != null) {
      run.fail(error);
      return;
    }
    String metric = sweep.spec().metric();
    if (trial.prunedBecause() != null) {
      run.end(RunStatus.PRUNED, trial.prunedBecause());
      return;
    }
    var rec = sweep.store().run(run.id());
    var value = rec.value(metric);
    if (value.isEmpty()) {
      var names = new java.util.TreeSet<String>();
      rec.metrics().forEach(p -> names.add(p.name()));
      run.fail("metric '" + metric + "' (the sweep's metric.name) was never reported by trial "
          + trial.number() + "; it reported " + (names.isEmpty() ? "nothing" : names));
      return;
    }
    run.finish(Map.of(metric, value.getAsDouble()));
  }
}
