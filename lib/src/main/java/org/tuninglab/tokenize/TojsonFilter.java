package org.tuninglab.tokenize;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code tojson} filter as {@code transformers} defines it for chat templates: Python's {@code
 * json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}, without
 * Jinja's HTML escaping. Arguments may be given by position or by name.
 */
final class TojsonFilter implements Filter {

  private static final String[] PARAMETERS = {"ensure_ascii", "indent", "separators", "sort_keys"};

  @Override
  public String getName() {
    return "tojson";
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    return filter(var, interpreter, args, Map.of());
  }

  @Override
  public Object filter(
      Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    Object[] values = new Object[PARAMETERS.length];
    for (int i = 0; i < args.length; i++) {
      if (i >= PARAMETERS.length) {
        throw new IllegalArgumentException("tojson takes at most 4 arguments, got " + args.length);
      }
      values[i] = args[i];
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      int index = List.of(PARAMETERS).indexOf(e.getKey());
      if (index < 0) {
        throw new IllegalArgumentException("tojson has no argument named " + e.getKey());
      }
      values[index] = e.getValue();
    }
    boolean ensureAscii = Boolean.TRUE.equals(values[0]);
    Optional<Integer> indent =
        values[1] == null ? Optional.empty() : Optional.of(((Number) values[1]).intValue());
    String itemSeparator = indent.isPresent() ? "," : ", ";
    String keySeparator = ": ";
    if (values[2] instanceof List<?> separators && separators.size() == 2) {
      itemSeparator = String.valueOf(separators.get(0));
      keySeparator = String.valueOf(separators.get(1));
    } else if (values[2] != null) {
      throw new IllegalArgumentException(
          "tojson separators should be a pair (item, key), got " + values[2]);
    }
    boolean sortKeys = Boolean.TRUE.equals(values[3]);
    return new PythonJson(ensureAscii, indent, itemSeparator, keySeparator, sortKeys).dumps(var);
  }
}
