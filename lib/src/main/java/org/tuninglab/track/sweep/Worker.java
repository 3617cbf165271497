package org.tuninglab.track.sweep;

import java.time.Duration;
import java.util.function.Consumer;
import org.tuninglab.track.Environment;
import org.tuninglab.track.RunStatus;

/**
 * Takes trials of a sweep from the store and runs them until none is left (or a maximum is
 * reached). Works the same in a notebook (in-process, with a callback per finished trial), in a
 * local worker process and in a Slurm array task. A SIGTERM (Slurm preemption or time limit)
 * marks the current trial preempted so the next worker reclaims it at once.
 */
public final class Worker {

  private final Sweep sweep;
  private final TrialFunction function;
  private final String workerId;
  private final int maxTrials;
  private final Duration lease;
  private final Consumer<TrialInfo> onTrialEnd;
  private volatile Trial current;

  private Worker(Builder b) {
    this.sweep = b.sweep;
    this.function = b.function;
    this.workerId = b.workerId != null ? b.workerId : defaultWorkerId();
    this.maxTrials = b.maxTrials;
    this.lease = b.lease;
    this.onTrialEnd = b.onTrialEnd;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String workerId() {
    return workerId;
  }

  /** Runs trials; returns how many this worker ran. */
  public int run() {
    SweepController controller = sweep.controller();
    Thread hook = new Thread(this::preemptCurrent, "sweep-worker-preempt");
    Runtime.getRuntime().addShutdownHook(hook);
    int ran = 0;
    try {
      while (ran < maxTrials) {
        var claimed = controller.claimNext(workerId, lease);
        if (claimed.isEmpty()) {
          break;
        }
        Trial trial = claimed.get();
        current = trial;
        Throwable error = null;
        try {
          function.run(trial);
        } catch (Exception | AssertionError e) {
          error = e;
        }
        controller.complete(trial, error);
        current = null;
        ran++;
        if (onTrialEnd != null) {
          sweep.info(trial.number(), System.currentTimeMillis()).ifPresent(onTrialEnd);
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or ran: nothing to remove
      }
    }
    return ran;
  }

  private void preemptCurrent() {
    Trial t = current;
    if (t != null) {
      t.stopHeartbeat();
      t.run().end(RunStatus.PREEMPTED, "worker " + workerId + " was stopped (SIGTERM: preemption, time limit or Ctrl-C)");
    }
  }

  /** {@code slurm-JOB_TASK} in a Slurm array (stable across requeues), else host-pid. */
  public static String defaultWorkerId() {
    String array = System.getenv("SLURM_ARRAY_JOB_ID");
    if (array != null) {
      return "slurm-" + array + "_" + System.getenv("SLURM_ARRAY_TASK_ID");
    }
    String job = System.getenv("SLURM_JOB_ID");
    if (job != null) {
      return "slurm-" + job;
    }
    return Environment.hostName() + "-" + ProcessHandle.current().pid();
  }

  /** Configures a worker: sweep and function required. */
  public static final class Builder {
    private Sweep sweep;
    private TrialFunction function;
    private String workerId;
    private int maxTrials = Integer.MAX_VALUE;
    private Duration lease = Duration.ofMinutes(2);
    private Consumer<TrialInfo> onTrialEnd;

    public Builder setSweep(Sweep sweep) {
      this.sweep = sweep;
      return this;
    }

    public Builder setFunction(TrialFunction function) {
      this.function = function;
      return this;
    }

    /** Default: {@link #defaultWorkerId()}. */
    public Builder optWorkerId(String id) {
      this.workerId = id;
      return this;
    }

    /** Stop after this many trials (a Slurm array task runs 1). */
    public Builder optMaxTrials(int n) {
      this.maxTrials = n;
      return this;
    }

    /** How long a trial stays claimed without a heartbeat; default 2 minutes. */
    public Builder optLease(Duration lease) {
      this.lease = lease;
      return this;
    }

    /** Called after every trial this worker ran, e.g. to refresh a notebook view. */
    public Builder optOnTrialEnd(Consumer<TrialInfo> callback) {
      this.onTrialEnd = callback;
      return this;
    }

    public Worker build() {
      if (sweep == null || function == null) {
        throw new IllegalStateException("Worker needs setSweep(...) and setFunction(...)");
      }
      return new Worker(this);
    }
  }
}
