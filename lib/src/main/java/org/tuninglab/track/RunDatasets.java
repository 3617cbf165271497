package org.tuninglab.track;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data sets a run read, including those it learnt of only after it started: a sweep trial's
 * run is created by the sweep before its objective knows the data, so the objective records them
 * here ({@code datasets.json} beside {@code run.json}, replaced atomically). Those named when the
 * run started stay in its {@link RunMeta}.
 */
public final class RunDatasets {

  static final String FILE = "datasets.json";

  private RunDatasets() {}

  /** Fingerprints {@code path} and adds it to the run's data sets under {@code role} (replacing one of the same role). */
  public static synchronized DatasetFingerprint record(Run run, String role, Path path) {
    DatasetFingerprint fingerprint = DatasetFingerprint.of(role, path);
    Path file = run.dir().resolve(FILE);
    List<DatasetFingerprint> all = new ArrayList<>(readFile(file));
    all.removeIf(d -> d.name().equals(role));
    all.add(fingerprint);
    StoreJson.write(file, all);
    return fingerprint;
  }

  /** Every data set the run recorded: those named at its start, then those recorded later. */
  public static List<DatasetFingerprint> of(RunRecord run) {
    List<DatasetFingerprint> all = new ArrayList<>();
    if (run.meta().datasets() != null) {
      all.addAll(run.meta().datasets());
    }
    all.addAll(readFile(run.dir().resolve(FILE)));
    return all;
  }

  private static List<DatasetFingerprint> readFile(Path file) {
    return StoreJson.readIfExists(file, DatasetFingerprint[].class).map(Arrays::asList).orElse(List.of());
  }
}
