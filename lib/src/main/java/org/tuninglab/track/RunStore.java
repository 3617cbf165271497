package org.tuninglab.track;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run store in a plain directory:
 *
 * <pre>
 * STORE/runs/RUN_ID/run.json             what the run is (written once)
 * STORE/runs/RUN_ID/status.json          running / finished / failed / preempted / pruned
 * STORE/runs/RUN_ID/summary.json         final and best values
 * STORE/runs/RUN_ID/artifacts.json       adapter and checkpoint paths
 * STORE/runs/RUN_ID/metrics/WRITER.jsonl one append-only stream per writer process
 * STORE/sweeps/NAME/...                  sweeps (see track.sweep)
 * </pre>
 */
public final class RunStore {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path dir;

  private RunStore(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the store at {@code dir}, failing clearly if it is not writable. */
  public static RunStore open(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs.resolve("runs"));
      Files.createDirectories(abs.resolve("sweeps"));
      Path probe = Files.createTempFile(abs.resolve("runs"), ".probe", ".tmp");
      Files.delete(probe);
    } catch (AccessDeniedException | FileAlreadyExistsException e) {
      throw new TrackException("run store " + abs + " is not writable (" + e.getMessage() + "): expected a writable directory", e);
    } catch (IOException e) {
      throw new TrackException("run store " + abs + " is not writable: " + e, e);
    }
    return new RunStore(abs);
  }

  public Path dir() {
    return dir;
  }

  public Path runsDir() {
    return dir.resolve("runs");
  }

  public Path sweepsDir() {
    return dir.resolve("sweeps");
  }

  /** Begins describing a new run; call {@code start()} on the builder. */
  public Run.Builder newRun() {
    return new Run.Builder(this);
  }

  /** Reopens an existing run for appending (after a crash, preemption or for more epochs). */
  public Run resume(String id) {
    RunRecord rec = run(id);
    return new Run(rec.meta(), rec.dir(), writerId(), rec.summary(), rec.artifacts());
  }

  /** The run with this id, failing with the store path if it does not exist. */
  public RunRecord run(String id) {
    return findRun(id)
        .orElseThrow(() -> new TrackException("no run '" + id + "' in run store " + dir));
  }

  public Optional<RunRecord> findRun(String id) {
    Path runDir = runsDir().resolve(id);
    return StoreJson.readIfExists(runDir.resolve("run.json"), RunMeta.class)
        .map(meta -> read(runDir, meta));
  }

  /** Every run, oldest first; folders of runs still being created are skipped. */
  public List<RunRecord> runs() {
    List<RunRecord> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runsDir())) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        StoreJson.readIfExists(d.resolve("run.json"), RunMeta.class).ifPresent(m -> out.add(read(d, m)));
      }
    } catch (IOException e) {
      throw new TrackException("cannot list " + runsDir() + ": " + e, e);
    }
    out.sort(Comparator.comparingLong((RunRecord r) -> r.meta().created()).thenComparing(RunRecord::id));
    return out;
  }

  Run create(RunMeta meta) {
    if (!ID.matcher(meta.id()).matches()) {
      throw new TrackException(
          "run id '" + meta.id() + "' is invalid: expected letters, digits, '.', '_' or '-' (at most 128)");
    }
    Path runDir = runsDir().resolve(meta.id());
    try {
      Files.createDirectory(runDir);
    } catch (FileAlreadyExistsException e) {
      throw new TrackException("run '" + meta.id() + "' already exists in " + runsDir() + "; use resume() to append to it", e);
    } catch (IOException e) {
      throw new TrackException("cannot create run folder " + runDir + ": " + e, e);
    }
    StoreJson.write(runDir.resolve("run.json"), meta);
    return new Run(meta, runDir, writerId(), Map.of(), Map.of());
  }

  private static RunRecord read(Path runDir, RunMeta meta) {
    StatusRecord status =
        StoreJson.readIfExists(runDir.resolve("status.json"), StatusRecord.class)
            .orElse(new StatusRecord(RunStatus.RUNNING, meta.created(), null, null));
    status = RunLease.observed(runDir, status, System.currentTimeMillis());
    Map<String, Object> summary = readMap(runDir.resolve("summary.json"), new TypeReference<>() {});
    Map<String, String> artifacts = readMap(runDir.resolve("artifacts.json"), new TypeReference<>() {});
    return new RunRecord(meta, status, summary, artifacts, runDir);
  }

  private static <V> Map<String, V> readMap(Path file, TypeReference<Map<String, V>> type) {
    return StoreJson.readIfExists(file)
        .map(node -> StoreJson.MAPPER.convertValue(node, type))
        .orElse(Map.of());
  }

  /** A new run id: sortable time stamp plus random suffix, unique across nodes. */
  public static String newId() {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return LocalDateTime.now().format(STAMP) + "-" + HexFormat.of().formatHex(b);
  }

  /** Names this process's writer: host, pid and a nonce, so resumed runs get a fresh stream. */
  static String writerId() {
    byte[] b = new byte[2];
    RANDOM.nextBytes(b);
    return Environment.hostName().replaceAll("[^A-Za-z0-9.-]", "_")
        + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
  }
}
