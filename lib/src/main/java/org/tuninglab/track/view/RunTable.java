package org.tuninglab.track.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.tuninglab.track.MetricPoint;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.RunStore;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Runs as Tablesaw tables: one row per run, or one row per metric point. */
public final class RunTable {

  private RunTable() {}

  /** Every run in the store. */
  public static Table of(RunStore store) {
    return of(store.runs());
  }

  /**
   * One row per run: id, name, status, sweep, trial, created, git commit, then a
   * {@code config.KEY} column per (flattened) config key and a {@code summary.KEY} column per
   * summary key; columns whose values are all numbers are numeric.
   */
  public static Table of(List<RunRecord> runs) {
    Table t = Table.create("runs");
    t.addColumns(
        strings("id", runs, RunRecord::id),
        strings("name", runs, RunRecord::name),
        strings("status", runs, r -> r.status().status().name().toLowerCase()),
        strings("sweep", runs, r -> r.meta().sweep()),
        strings("trial", runs, r -> r.meta().trial() == null ? null : r.meta().trial().toString()),
        strings("created", runs, r -> Instant.ofEpochMilli(r.meta().created()).toString()),
        strings("git", runs, r -> r.meta().git() == null ? null
            : r.meta().git().commit().substring(0, 10) + (r.meta().git().dirty() ? "+dirty" : "")));
    addColumns(t, "config.", runs, r -> Flatten.of(r.config()));
    addColumns(t, "summary.", runs, r -> Flatten.of(r.summary()));
    return t;
  }

  /** Long format, one row per point: run, step, metric, value, time (for CSV export and plots). */
  public static Table metrics(List<RunRecord> runs) {
    StringColumn run = StringColumn.create("run");
    LongColumn step = LongColumn.create("step");
    StringColumn name = StringColumn.create("metric");
    DoubleColumn value = DoubleColumn.create("value");
    LongColumn time = LongColumn.create("time");
    for (RunRecord r : runs) {
      for (MetricPoint p : r.metrics()) {
        run.append(r.id());
        step.append(p.step());
        name.append(p.name());
        value.append(p.value());
        time.append(p.time());
      }
    }
    return Table.create("metrics", run, step, name, value, time);
  }

  static void addColumns(Table t, String prefix, List<RunRecord> runs, Function<RunRecord, Map<String, Object>> values) {
    List<Map<String, Object>> rows = runs.stream().map(values).toList();
    Set<String> keys = new LinkedHashSet<>();
    rows.forEach(m -> keys.addAll(m.keySet()));
    for (String k : keys) {
      boolean numeric = rows.stream().map(m -> m.get(k)).allMatch(v -> v == null || v instanceof Number);
      if (numeric) {
        DoubleColumn c = DoubleColumn.create(prefix + k);
        rows.forEach(m -> {
          Object v = m.get(k);
          if (v == null) {
            c.appendMissing();
          } else {
            c.append(((Number) v).doubleValue());
          }
        });
        t.addColumns(c);
      } else {
        StringColumn c = StringColumn.create(prefix + k);
        rows.forEach(m -> c.append(m.get(k) == null ? null : String.valueOf(m.get(k))));
        t.addColumns(c);
      }
    }
  }

  private static StringColumn strings(String name, List<RunRecord> runs, Function<RunRecord, String> f) {
    List<String> values = new ArrayList<>();
    runs.forEach(r -> values.add(f.apply(r)));
    return StringColumn.create(name, values);
  }
}
