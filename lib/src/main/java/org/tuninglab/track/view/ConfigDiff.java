package org.tuninglab.track.view;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tuninglab.track.RunRecord;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The config keys whose values differ between runs: one row per key, one column per run. */
public final class ConfigDiff {

  private ConfigDiff() {}

  public static Table of(List<RunRecord> runs) {
    List<Map<String, Object>> configs = runs.stream().map(r -> Flatten.of(r.config())).toList();
    Set<String> keys = new LinkedHashSet<>();
    configs.forEach(c -> keys.addAll(c.keySet()));
    List<String> differing = new ArrayList<>();
    for (String k : keys) {
      if (configs.stream().map(c -> c.get(k)).distinct().count() > 1) {
        differing.add(k);
      }
    }
    Table t = Table.create("config diff", StringColumn.create("key", differing));
    for (int i = 0; i < runs.size(); i++) {
      Map<String, Object> c = configs.get(i);
      List<String> values = differing.stream().map(k -> c.containsKey(k) ? Objects.toString(c.get(k)) : "(absent)").toList();
      t.addColumns(StringColumn.create(runs.get(i).name(), values));
    }
    return t;
  }
}
