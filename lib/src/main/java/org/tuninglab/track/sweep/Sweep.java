package org.tuninglab.track.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.RunStatus;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.StoreFiles;
import org.tuninglab.track.StoreJson;
import org.tuninglab.track.TrackException;

/**
 * A sweep in a run store. Its whole state is files:
 *
 * <pre>
 * STORE/sweeps/NAME/spec.yaml               the spec as given
 * STORE/sweeps/NAME/sweep.json              name and creation time
 * STORE/sweeps/NAME/trials/000007/params.json   trial 7's parameters (written once)
 * STORE/sweeps/NAME/trials/000007/claim-0.json  attempt 0's worker (created exclusively)
 * STORE/sweeps/NAME/trials/000007/lease.json    heartbeat of the running attempt
 * STORE/sweeps/NAME/logs/                   worker logs (local pool, Slurm tasks)
 * STORE/sweeps/NAME/launches/               generated sbatch scripts and job ids
 * STORE/runs/NAME-t000007/                  trial 7's run
 * </pre>
 */
public final class Sweep {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");

  private final RunStore store;
  private final SweepSpec spec;
  private final Path dir;
  // Finished and pruned trials never change again: remembering them keeps a scan of n trials
  // from re-reading n runs, which made claiming quadratic in the sweep size.
  private final Map<Integer, TrialInfo> ended = new java.util.concurrent.ConcurrentHashMap<>();

  private Sweep(RunStore store, SweepSpec spec, Path dir) {
    this.store = store;
    this.spec = spec;
    this.dir = dir;
  }

  /** Creates a sweep from a YAML file; {@code name} overrides the spec's {@code name} (may be null). */
  public static Sweep create(RunStore store, Path yamlFile, String name) {
    try {
      return create(store, Files.readString(yamlFile), yamlFile.toString(), name);
    } catch (IOException e) {
      throw new TrackException("cannot read sweep spec " + yamlFile + ": " + e, e);
    }
  }

  /**
   * Creates a sweep from YAML text. The folder is assembled under a temporary name and renamed
   * into place, so a second sweep of the same name fails whichever process gets there second.
   */
  public static Sweep create(RunStore store, String yaml, String source, String name) {
    SweepSpec spec = SweepSpecParser.parse(yaml, source);
    if (spec.objective() != null) {
      WorkerMain.checkObjective(spec.objective()); // a typo fails now, not in every trial
    }
    String finalName = name != null ? name : spec.name();
    if (finalName == null) {
      throw new TrackException(source + ": missing key 'name' (or pass a name): every sweep needs a name unique in the store");
    }
    if (!NAME.matcher(finalName).matches()) {
      throw new TrackException("sweep name '" + finalName + "' is invalid: expected letters, digits, '.', '_' or '-'");
    }
    Path target = store.sweepsDir().resolve(finalName);
    if (Files.exists(target)) {
      throw alreadyExists(store, finalName);
    }
    Path tmp = store.sweepsDir().resolve(".creating-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp.resolve("trials"));
      StoreFiles.write(tmp.resolve("spec.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
      StoreJson.write(tmp.resolve("sweep.json"), Map.of("name", finalName, "created", System.currentTimeMillis()));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      deleteTree(tmp);
      throw alreadyExists(store, finalName);
    } catch (IOException e) {
      deleteTree(tmp);
      throw new TrackException("cannot create sweep " + target + ": " + e, e);
    }
    return new Sweep(store, spec.withName(finalName), target);
  }

  /** Opens an existing sweep. */
  public static Sweep open(RunStore store, String name) {
    Path dir = store.sweepsDir().resolve(name);
    Path yaml = dir.resolve("spec.yaml");
    if (!Files.isRegularFile(yaml)) {
      throw new TrackException("no sweep '" + name + "' in " + store.sweepsDir() + " (expected " + yaml + "); sweeps there: " + list(store));
    }
    return new Sweep(store, SweepSpecParser.parse(yaml).withName(name), dir);
  }

  /** Names of the sweeps in a store. */
  public static List<String> list(RunStore store) {
    try (Stream<Path> dirs = Files.list(store.sweepsDir())) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("spec.yaml")))
          .map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new TrackException("cannot list " + store.sweepsDir() + ": " + e, e);
    }
  }

  public String name() {
    return spec.name();
  }

  public SweepSpec spec() {
    return spec;
  }

  public Path dir() {
    return dir;
  }

  public RunStore store() {
    return store;
  }

  /** The id of trial {@code number}'s run. */
  public String runId(int number) {
    return name() + "-t" + String.format("%06d", number);
  }

  Path trialDir(int number) {
    return dir.resolve("trials").resolve(String.format("%06d", number));
  }

  /** A controller for workers of this sweep. */
  public SweepController controller() {
    return new SweepController(this);
  }

  /** Every proposed trial, in order. */
  public List<TrialInfo> trials() {
    long now = System.currentTimeMillis();
    List<TrialInfo> out = new ArrayList<>();
    for (int n = 0; Files.isDirectory(trialDir(n)); n++) {
      info(n, now).ifPresent(out::add);
    }
    return out;
  }

  /** The runs of the trials so far, for the notebook views (table, curves, parameter plots). */
  public List<RunRecord> runs() {
    List<RunRecord> out = new ArrayList<>();
    for (TrialInfo t : trials()) {
      store.findRun(t.runId()).ifPresent(out::add);
    }
    return out;
  }

  /** Counts per state and the best trial. */
  public SweepProgress progress() {
    List<TrialInfo> trials = trials();
    Map<TrialState, Integer> counts = new EnumMap<>(TrialState.class);
    for (TrialInfo t : trials) {
      counts.merge(t.state(), 1, Integer::sum);
    }
    counts.merge(TrialState.PENDING, spec.runCap() - trials.size(), Integer::sum);
    TrialInfo best = trials.stream()
        .filter(t -> t.state() == TrialState.FINISHED && t.value() != null)
        .min(Comparator.comparingDouble(t -> spec.goal().asLoss(t.value())))
        .orElse(null);
    boolean done = trials.size() >= spec.runCap()
        && trials.stream().allMatch(t -> isEnded(t));
    return new SweepProgress(name(), spec.runCap(), counts, best, done);
  }

  /** True when the trial will not run again. */
  boolean isEnded(TrialInfo t) {
    return t.state() == TrialState.FINISHED
        || t.state() == TrialState.PRUNED
        || (t.state() == TrialState.FAILED && t.attempts() > spec.maxRetries());
  }

  Optional<TrialInfo> info(int number, long now) {
    TrialInfo known = ended.get(number);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<TrialInfo> info = readInfo(number, now);
    info.filter(t -> t.state() == TrialState.FINISHED || t.state() == TrialState.PRUNED)
        .ifPresent(t -> ended.put(number, t));
    return info;
  }

  private Optional<TrialInfo> readInfo(int number, long now) {
    Path tdir = trialDir(number);
    Optional<TrialRecord> rec = StoreJson.readIfExists(tdir.resolve("params.json"), TrialRecord.class);
    if (rec.isEmpty()) {
      return Optional.empty();
    }
    int claims = 0;
    while (Files.exists(tdir.resolve("claim-" + claims + ".json"))) {
      claims++;
    }
    final int attempts = claims;
    String runId = runId(number);
    if (attempts == 0) {
      return Optional.of(new TrialInfo(number, rec.get().params(), TrialState.PENDING, 0, null, runId, null, null));
    }
    ClaimRecord claim =
        StoreJson.readIfExists(tdir.resolve("claim-" + (attempts - 1) + ".json"), ClaimRecord.class).orElseThrow();
    Optional<RunRecord> run = store.findRun(runId);
    Double value = run.flatMap(r -> {
      var v = r.value(spec.metric());
      return v.isPresent() ? Optional.of(v.getAsDouble()) : Optional.empty();
    }).orElse(null);
    boolean runIsCurrent = run.isPresent() && run.get().status().updated() >= claim.time();
    TrialState state;
    String error = null;
    RunStatus runStatus = runIsCurrent ? run.get().status().status() : null;
    // A crashed run's trial is governed by the trial's own lease (LOST, then reclaimed).
    if (!runIsCurrent || runStatus == RunStatus.RUNNING || runStatus == RunStatus.CRASHED) {
      long expires = StoreJson.readIfExists(tdir.resolve("lease.json"), LeaseRecord.class)
          .filter(l -> l.attempt() == attempts - 1)
          .map(LeaseRecord::expires)
          .orElse(claim.time() + claim.leaseMillis());
      state = now > expires ? TrialState.LOST : TrialState.RUNNING;
    } else {
      RunStatus s = run.get().status().status();
      error = run.get().status().error();
      state = switch (s) {
        case FINISHED -> TrialState.FINISHED;
        case PRUNED -> TrialState.PRUNED;
        case PREEMPTED -> TrialState.PREEMPTED;
        default -> TrialState.FAILED;
      };
    }
    return Optional.of(new TrialInfo(number, rec.get().params(), state, attempts, value, runId, claim.worker(), error));
  }

  private static TrackException alreadyExists(RunStore store, String name) {
    return new TrackException(
        "a sweep named '" + name + "' already exists in " + store.sweepsDir()
            + "; choose another name, or continue it with `sweep run " + name + "`");
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // leftover .creating-* folders are ignored by list()
        }
      });
    } catch (IOException ignored) {
      // as above
    }
  }
}
