package org.tuninglab.track.slurm;

import java.util.List;

/**
 * How to run a sweep's workers on Slurm. Every cluster-specific value is here, none is built in.
 *
 * @param workerCommand the command that starts one worker, to which {@code --store S --sweep N
 *     --max-trials 1 --lease-seconds L} is appended; e.g. {@code ./tuninglab sweep agent} or
 *     {@code java -cp CP org.tuninglab.track.sweep.WorkerMain}
 * @param arraySize array tasks (trials) to submit; 0 = the trials the sweep still needs
 * @param maxParallel at most this many tasks at once ({@code --array=...%N}); 0 = no limit
 * @param gpus {@code --gpus} value, e.g. {@code a100:1} or {@code 1}; null for none
 * @param cpusPerTask {@code --cpus-per-task}
 * @param mem {@code --mem}, e.g. {@code 16G}
 * @param time {@code --time} wall-time limit per task, e.g. {@code 01:00:00}
 * @param partition {@code --partition}, or null for the cluster default
 * @param account {@code --account}, or null
 * @param reservation {@code --reservation}, or null
 * @param constraint {@code --constraint} (e.g. {@code gpu_a100_80gb}), or null
 * @param modules modules to {@code module load} before the worker starts
 * @param setup further shell lines before the worker starts (e.g. {@code export HF_HOME=...})
 * @param extraSbatch further {@code #SBATCH} options, e.g. {@code --mail-type=END}
 * @param requeue submit with {@code --requeue} so preempted or failed-node tasks run again
 * @param leaseSeconds how long a task's trial stays claimed without a heartbeat
 * @param jobName the job name; null = {@code tl-SWEEP}
 * @param sbatchCommand the submit command, default {@code [sbatch]} (tests prepend an environment)
 */
public record LaunchConfig(
    String workerCommand,
    int arraySize,
    int maxParallel,
    String gpus,
    int cpusPerTask,
    String mem,
    String time,
    String partition,
    String account,
    String reservation,
    String constraint,
    List<String> modules,
    List<String> setup,
    List<String> extraSbatch,
    boolean requeue,
    int leaseSeconds,
    String jobName,
    List<String> sbatchCommand) {

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link LaunchConfig}: worker command required, the rest optional with modest defaults. */
  public static final class Builder {
    private String workerCommand;
    private int arraySize;
    private int maxParallel;
    private String gpus;
    private int cpusPerTask = 4;
    private String mem = "16G";
    private String time = "01:00:00";
    private String partition;
    private String account;
    private String reservation;
    private String constraint;
    private List<String> modules = List.of();
    private List<String> setup = List.of();
    private List<String> extraSbatch = List.of();
    private boolean requeue = true;
    private int leaseSeconds = 300;
    private String jobName;
    private List<String> sbatchCommand = List.of("sbatch");

    public Builder setWorkerCommand(String command) {
      this.workerCommand = command;
      return this;
    }

    public Builder optArraySize(int n) {
      this.arraySize = n;
      return this;
    }

    public Builder optMaxParallel(int n) {
      this.maxParallel = n;
      return this;
    }

    public Builder optGpus(String gpus) {
      this.gpus = gpus;
      return this;
    }

    public Builder optCpusPerTask(int n) {
      this.cpusPerTask = n;
      return this;
    }

    public Builder optMem(String mem) {
      this.mem = mem;
      return this;
    }

    public Builder optTime(String time) {
      this.time = time;
      return this;
    }

    public Builder optPartition(String partition) {
      this.partition = partition;
      return this;
    }

    public Builder optAccount(String account) {
      this.account = account;
      return this;
    }

    public Builder optReservation(String reservation) {
      this.reservation = reservation;
      return this;
    }

    public Builder optConstraint(String constraint) {
      this.constraint = constraint;
      return this;
    }

    public Builder optModules(List<String> modules) {
      this.modules = List.copyOf(modules);
      return this;
    }

    public Builder optSetup(List<String> lines) {
      this.setup = List.copyOf(lines);
      return this;
    }

    public Builder optExtraSbatch(List<String> options) {
      this.extraSbatch = List.copyOf(options);
      return this;
    }

    public Builder optRequeue(boolean requeue) {
      this.requeue = requeue;
      return this;
    }

    public Builder optLeaseSeconds(int seconds) {
      this.leaseSeconds = seconds;
      return this;
    }

    public Builder optJobName(String name) {
      this.jobName = name;
      return this;
    }

    public Builder optSbatchCommand(List<String> command) {
      this.sbatchCommand = List.copyOf(command);
      return this;
    }

    public LaunchConfig build() {
      if (workerCommand == null || workerCommand.isBlank()) {
        throw new IllegalStateException("LaunchConfig needs setWorkerCommand(...)");
      }
      return new LaunchConfig(workerCommand, arraySize, maxParallel, gpus, cpusPerTask, mem, time,
          partition, account, reservation, constraint, modules, setup, extraSbatch, requeue,
          leaseSeconds, jobName, sbatchCommand);
    }
  }
}
