package org.tuninglab.track.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tuninglab.track.DatasetFingerprint;
import org.tuninglab.track.Environment;
import org.tuninglab.track.GitInfo;
import org.tuninglab.track.Hardware;
import org.tuninglab.track.RunDatasets;
import org.tuninglab.track.RunRecord;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a run recorded so that it can be reproduced, as one two-column table: its config, the code
 * version (and whether the checkout had uncommitted changes), the data sets' hashes, the library
 * versions, the hardware, and the artefacts it wrote.
 */
public final class RunProvenance {

  private RunProvenance() {}

  public static Table of(RunRecord run) {
    List<String> what = new ArrayList<>();
    List<String> value = new ArrayList<>();
    Flatten.of(run.config()).forEach((k, v) -> add(what, value, "config " + k, shown(v)));
    GitInfo git = run.meta().git();
    add(what, value, "code", git == null ? "(not a git checkout)"
        : git.commit().substring(0, Math.min(12, git.commit().length()))
            + (git.dirty() ? ", with uncommitted changes (dirty)" : ", clean"));
    for (DatasetFingerprint d : RunDatasets.of(run)) {
      add(what, value, "data " + d.name(), "sha256 " + d.sha256().substring(0, 16) + "… of " + d.path()
          + " (" + d.files() + (d.files() == 1 ? " file, " : " files, ") + String.format(Locale.ROOT, "%,d", d.bytes()) + " bytes)");
    }
    Environment env = run.meta().environment();
    if (env != null) {
      add(what, value, "java", env.java());
      add(what, value, "djl", env.djl());
      add(what, value, "pytorch", env.pytorch());
      add(what, value, "tuninglab", env.tuninglab());
      Hardware hw = env.hardware();
      if (hw != null) {
        add(what, value, "cpu", hw.cpuModel());
        add(what, value, "memory", hw.memoryBytes() == 0 ? null
            : String.format(Locale.ROOT, "%.1f GiB", hw.memoryBytes() / (double) (1L << 30)));
      }
      add(what, value, "cores", String.valueOf(env.cpus()));
      add(what, value, "device", env.device());
      add(what, value, "host", env.host());
      add(what, value, "os", env.os());
      add(what, value, "slurm job", env.slurmJob());
    }
    for (Map.Entry<String, String> a : run.artifacts().entrySet()) {
      add(what, value, "artifact " + a.getKey(), a.getValue());
    }
    return Table.create("what run " + run.name() + " recorded",
        StringColumn.create("recorded", what), StringColumn.create("value", value));
  }

  // Six significant digits, as the notebooks show numbers; run.json keeps every digit.
  private static String shown(Object v) {
    return v instanceof Double || v instanceof Float
        ? String.format(Locale.ROOT, "%.6g", ((Number) v).doubleValue()).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1")
        : Objects.toString(v);
  }

  // Facts that were not captured (no DJL, outside Slurm) are left out rather than shown empty.
  private static void add(List<String> what, List<String> value, String key, String v) {
    if (v != null) {
      what.add(key);
      value.add(v);
    }
  }
}
