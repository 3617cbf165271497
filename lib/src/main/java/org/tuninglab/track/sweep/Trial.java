package org.tuninglab.track.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tuninglab.track.MetricPoint;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunLogger;
import org.tuninglab.track.StoreJson;
import org.tuninglab.track.TrackException;

/**
 * One claimed attempt of a sweep trial: its parameters, its run, a lease kept alive by a
 * heartbeat thread, and the early-termination decision.
 */
public final class Trial implements RunLogger {

  private final Sweep sweep;
  private final int number;
  private final Map<String, Object> params;
  private final int attempt;
  private final String worker;
  private final Run run;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean superseded;
  private volatile String prunedBecause;
  private int reports;

  Trial(Sweep sweep, int number, Map<String, Object> params, int attempt, String worker, Duration lease, Run run) {
    this.sweep = sweep;
    this.number = number;
    this.params = Map.copyOf(params);
    this.attempt = attempt;
    this.worker = worker;
    this.run = run;
    this.reports = sweep.store().run(run.id()).history(sweep.spec().metric()).size();
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "trial-" + number + "-lease");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(50, lease.toMillis() / 3);
    heartbeat.scheduleAtFixedRate(() -> renew(lease), period, period, TimeUnit.MILLISECONDS);
  }

  public int number() {
    return number;
  }

  public int attempt() {
    return attempt;
  }

  public Map<String, Object> params() {
    return params;
  }

  /** The trial's run, for a trainer's listener to log to and attach artefacts. */
  @Override
  public Run run() {
    return run;
  }

  public Sweep sweep() {
    return sweep;
  }

  /** A numeric parameter, failing clearly if it is absent or not a number. */
  public double doubleParam(String name) {
    Object v = param(name);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new TrackException("sweep " + sweep.name() + " parameter '" + name + "': expected a number, got " + v);
  }

  /** An integer parameter (a float with no fraction is accepted). */
  public int intParam(String name) {
    double v = doubleParam(name);
    if (v != Math.rint(v)) {
      throw new TrackException("sweep " + sweep.name() + " parameter '" + name + "': expected an integer, got " + v);
    }
    return (int) v;
  }

  /** A parameter or {@code fallback} when the spec does not define it. */
  public double doubleParam(String name, double fallback) {
    return params.containsKey(name) ? doubleParam(name) : fallback;
  }

  private Object param(String name) {
    if (!params.containsKey(name)) {
      throw new TrackException("sweep " + sweep.name() + " has no parameter '" + name + "'; it has " + params.keySet());
    }
    return params.get(name);
  }

  /**
   * Logs a value to the trial's run; a value of the sweep metric is also a Hyperband report, which
   * may decide to stop the trial ({@link #shouldStop()}).
   */
  @Override
  public synchronized Trial log(long step, String name, double value) {
    run.log(step, name, value);
    Hyperband hb = sweep.spec().earlyTerminate();
    if (name.equals(sweep.spec().metric())) {
      reports++;
      if (hb != null && prunedBecause == null && hb.isRung(reports)
          && hb.shouldStop(value, othersAt(reports), sweep.spec().goal())) {
        prunedBecause = "stopped by hyperband at report " + reports + " of " + name + " (" + value + ")";
      }
    }
    return this;
  }

  /** True when the trial should end now: Hyperband pruned it, or another worker took it over. */
  @Override
  public boolean shouldStop() {
    return prunedBecause != null || superseded;
  }

  String prunedBecause() {
    return prunedBecause;
  }

  boolean superseded() {
    return superseded;
  }

  void stopHeartbeat() {
    heartbeat.shutdownNow();
  }

  // Each other trial's value at its `iteration`-th report of the sweep metric.
  private List<Double> othersAt(int iteration) {
    List<Double> out = new ArrayList<>();
    for (TrialInfo t : sweep.trials()) {
      if (t.number() == number) {
        continue;
      }
      sweep.store().findRun(t.runId()).ifPresent(r -> {
        List<MetricPoint> h = r.history(sweep.spec().metric());
        if (h.size() >= iteration) {
          out.add(h.get(iteration - 1).value());
        }
      });
    }
    return out;
  }

  // A failed renewal (a filesystem hiccup) is retried on the next tick rather than ending the heartbeat.
  private void renew(Duration lease) {
    try {
      renewOnce(lease);
    } catch (TrackException e) {
      System.err.println("trial " + number + ": lease renewal failed, retrying: " + e.getMessage());
    }
  }

  private void renewOnce(Duration lease) {
    Path tdir = sweep.trialDir(number);
    if (Files.exists(tdir.resolve("claim-" + (attempt + 1) + ".json"))) {
      superseded = true;
      heartbeat.shutdown();
      return;
    }
    StoreJson.write(tdir.resolve("lease.json"),
        new LeaseRecord(attempt, worker, System.currentTimeMillis() + lease.toMillis()));
  }
}
