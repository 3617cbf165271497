package org.tuninglab.track;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A live run, the object a trainer logs to. Thread safe. Metric points go to this writer's own
 * append-only file (one {@code write} per point, so a killed process loses at most the point
 * being written and readers drop a torn last line); status, summary and artefacts are replaced
 * atomically.
 *
 * <pre>{@code
 * try (Run run = store.newRun().optName("lora-r8").optConfig(cfg).start()) {
 *   run.log(step, "train_loss", loss);
 *   run.finish(Map.of("eval_loss", best));
 * }
 * }</pre>
 */
public final class Run implements RunLogger, AutoCloseable {

  private final RunMeta meta;
  private final Path dir;
  private final String writer;
  private final Map<String, String> quotedNames = new HashMap<>();
  private final Map<String, Object> summary;
  private final Map<String, String> artifacts;
  private FileChannel metrics;
  private RunStatus status;
  private final RunLease lease;

  Run(RunMeta meta, Path dir, String writer, Map<String, Object> summary, Map<String, String> artifacts) {
    this.meta = meta;
    this.dir = dir;
    this.writer = writer;
    this.summary = new TreeMap<>(summary);
    this.artifacts = new TreeMap<>(artifacts);
    try {
      Files.createDirectories(dir.resolve("metrics"));
      this.metrics =
          FileChannel.open(
              dir.resolve("metrics").resolve(writer + ".jsonl"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new TrackException("cannot open the metric stream of run " + meta.id() + " in " + dir + ": " + e, e);
    }
    transition(RunStatus.RUNNING, null);
    lease = RunLease.hold(dir);
  }

  public String id() {
    return meta.id();
  }

  public String name() {
    return meta.name();
  }

  public RunMeta meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  public synchronized RunStatus status() {
    return status;
  }

  /** This run itself. */
  @Override
  public Run run() {
    return this;
  }

  /** Appends one point; {@code step} is the trainer's step, epoch or evaluation count. */
  @Override
  public synchronized Run log(long step, String name, double value) {
    requireRunning("log " + name);
    if (name == null || name.isBlank()) {
      throw new TrackException("run " + id() + ": metric name at step " + step + " must be non-empty");
    }
    String quoted = quotedNames.computeIfAbsent(name, n -> new String(JsonStringEncoder.getInstance().quoteAsString(n)));
    String line =
        "{\"step\":" + step + ",\"name\":\"" + quoted + "\",\"value\":" + value
            + ",\"time\":" + System.currentTimeMillis() + "}\n";
    ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
    try {
      while (buf.hasRemaining()) {
        metrics.write(buf);
      }
    } catch (IOException e) {
      throw new TrackException("run " + id() + ": cannot append to " + dir.resolve("metrics") + ": " + e, e);
    }
    return this;
  }

  /** Appends several metrics of one step. */
  public synchronized Run log(long step, Map<String, ? extends Number> values) {
    values.forEach((k, v) -> log(step, k, v.doubleValue()));
    return this;
  }

  /** Sets one summary value (e.g. the best eval loss so far) and saves the summary. */
  public synchronized Run summary(String key, Object value) {
    requireRunning("set summary " + key);
    summary.put(key, value);
    StoreJson.write(dir.resolve("summary.json"), summary);
    return this;
  }

  /** The summary so far. */
  public synchronized Map<String, Object> summary() {
    return new LinkedHashMap<>(summary);
  }

  /** Records where an artefact (adapter, checkpoint) was written. */
  public synchronized Run artifact(String name, Path path) {
    artifacts.put(name, path.toAbsolutePath().toString());
    StoreJson.write(dir.resolve("artifacts.json"), artifacts);
    return this;
  }

  /** Ends the run normally, merging {@code finalSummary} into the summary. */
  public synchronized void finish(Map<String, ?> finalSummary) {
    requireRunning("finish");
    summary.putAll(finalSummary);
    StoreJson.write(dir.resolve("summary.json"), summary);
    end(RunStatus.FINISHED, null);
  }

  /** Ends the run as failed, recording why. */
  public synchronized void fail(String error) {
    end(RunStatus.FAILED, error);
  }

  /** Ends the run as failed by {@code error}. */
  public synchronized void fail(Throwable error) {
    end(RunStatus.FAILED, error.toString());
  }

  /**
   * Ends the run with a terminal status; a no-op when it has already ended, so a shutdown hook
   * racing a normal finish cannot overwrite it.
   */
  public synchronized void end(RunStatus terminal, String reason) {
    if (!terminal.isTerminal()) {
      throw new IllegalArgumentException("end() needs a terminal status, got " + terminal);
    }
    if (status != RunStatus.RUNNING) {
      return;
    }
    transition(terminal, reason);
    closeMetrics();
  }

  /**
   * Closes this writer without touching the status: another worker has taken the run over
   * (a sweep trial whose lease expired), so its status is no longer ours to set.
   */
  public synchronized void detach() {
    closeMetrics();
    status = RunStatus.PREEMPTED;
  }

  /** Closing a run that was neither finished nor failed marks it failed: the trainer stopped early. */
  @Override
  public synchronized void close() {
    if (status == RunStatus.RUNNING) {
      end(RunStatus.FAILED, "closed before finish()");
    }
    closeMetrics();
  }

  private void closeMetrics() {
    lease.close();
    if (!metrics.isOpen()) {
      return;
    }
    try {
      metrics.close();
    } catch (IOException e) {
      throw new TrackException("run " + id() + ": cannot close its metric stream: " + e, e);
    }
  }

  private void transition(RunStatus next, String error) {
    StoreJson.write(
        dir.resolve("status.json"),
        new StatusRecord(next, System.currentTimeMillis(), error, writer));
    status = next;
  }

  private void requireRunning(String what) {
    if (status != RunStatus.RUNNING) {
      throw new TrackException(
          "cannot " + what + ": run " + id() + " is " + status + "; resume it with RunStore.resume(\"" + id() + "\")");
    }
  }

  /** Starts a new run in a store; get one from {@link RunStore#newRun()}. */
  public static final class Builder {
    private final RunStore store;
    private String id;
    private String name;
    private Map<String, Object> config = Map.of();
    private GitInfo git;
    private boolean captureGit = true;
    private Environment environment;
    private final List<DatasetFingerprint> datasets = new ArrayList<>();
    private String sweep;
    private Integer trial;

    Builder(RunStore store) {
      this.store = store;
    }

    /** A chosen id (letters, digits, {@code ._-}); default: time stamp plus random suffix. */
    public Builder optId(String id) {
      this.id = id;
      return this;
    }

    public Builder optName(String name) {
      this.name = name;
      return this;
    }

    /** The hyperparameters; records and beans are converted to maps. */
    @SuppressWarnings("unchecked")
    public Builder optConfig(Object config) {
      this.config = StoreJson.MAPPER.convertValue(config, Map.class);
      return this;
    }

    /** The git revision; default: captured from the working directory. */
    public Builder optGit(GitInfo git) {
      this.git = git;
      this.captureGit = false;
      return this;
    }

    public Builder optEnvironment(Environment environment) {
      this.environment = environment;
      return this;
    }

    /** Fingerprints a data set file or folder the run reads. */
    public Builder optDataset(String role, Path path) {
      datasets.add(DatasetFingerprint.of(role, path));
      return this;
    }

    /** Marks the run as trial {@code number} of {@code sweepName}. */
    public Builder optSweep(String sweepName, int number) {
      this.sweep = sweepName;
      this.trial = number;
      return this;
    }

    public Run start() {
      String runId = id != null ? id : RunStore.newId();
      RunMeta meta =
          new RunMeta(
              runId,
              name != null ? name : runId,
              System.currentTimeMillis(),
              config,
              captureGit ? GitInfo.capture(Path.of("").toAbsolutePath()) : git,
              environment != null ? environment : Environment.capture(),
              List.copyOf(datasets),
              sweep,
              trial);
      return store.create(meta);
    }
  }
}
