package org.tuninglab.track.view;

import java.util.LinkedHashMap;
import java.util.Map;

/** Flattens nested config maps to dotted keys ({@code optimizer.lr}), the columns of the views. */
final class Flatten {

  private Flatten() {}

  static Map<String, Object> of(Map<String, ?> nested) {
    Map<String, Object> out = new LinkedHashMap<>();
    add("", nested, out);
    return out;
  }

  private static void add(String prefix, Map<String, ?> map, Map<String, Object> out) {
    map.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, ?> inner = (Map<String, ?>) m;
        add(prefix + k + ".", inner, out);
      } else {
        out.put(prefix + k, v);
      }
    });
  }
}
