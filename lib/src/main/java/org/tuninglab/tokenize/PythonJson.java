package org.tuninglab.tokenize;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes values as Python's {@code json.dumps} does, with the options {@code transformers} exposes
 * in its {@code tojson} template filter, so rendered prompts match Python byte for byte.
 *
 * <p>Differences from Jackson's defaults that matter here: {@code ", "} and {@code ": "}
 * separators, Python's float spelling ({@code 1.0}, {@code 1e-07}), and only control characters,
 * quote and backslash escaped (non-ASCII stays as is unless {@code ensureAscii}).
 *
 * @param ensureAscii escape every non-ASCII character as {@code \\uXXXX}
 * @param indent spaces per nesting level, or empty for a single line
 * @param itemSeparator between items; Python's default is {@code ", "}, or {@code ","} with indent
 * @param keySeparator between a key and its value; {@code ": "} by default
 * @param sortKeys write object keys in sorted order
 */
record PythonJson(
    boolean ensureAscii,
    Optional<Integer> indent,
    String itemSeparator,
    String keySeparator,
    boolean sortKeys) {

  /** {@code json.dumps(x, ensure_ascii=False)}, the {@code tojson} default in transformers. */
  static final PythonJson DEFAULT = new PythonJson(false, Optional.empty(), ", ", ": ", false);

  /** Serializes {@code value}: maps, iterables, arrays, strings, numbers, booleans and null. */
  String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  private void write(Object value, StringBuilder out, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Double || value instanceof Float) {
      out.append(pythonFloat(((Number) value).doubleValue()));
    } else if (value instanceof BigDecimal d) {
      out.append(pythonFloat(d.doubleValue()));
    } else if (value instanceof Number n) {
      out.append(n);
    } else if (value instanceof CharSequence || value instanceof Character) {
      string(value.toString(), out);
    } else if (value instanceof Map<?, ?> map) {
      object(map, out, depth);
    } else if (value instanceof Iterable<?> items) {
      List<Object> list = new ArrayList<>();
      items.forEach(list::add);
      array(list, out, depth);
    } else if (value instanceof Object[] items) {
      array(Arrays.asList(items), out, depth);
    } else {
      throw new IllegalArgumentException(
          "Object of type " + value.getClass().getSimpleName() + " is not JSON serializable");
    }
  }

  private void object(Map<?, ?> map, StringBuilder out, int depth) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    Map<?, ?> entries = sortKeys ? new TreeMap<>(stringKeys(map)) : map;
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : entries.entrySet()) {
      if (!first) {
        out.append(itemSeparator);
      }
      first = false;
      newline(out, depth + 1);
      string(String.valueOf(e.getKey()), out);
      out.append(keySeparator);
      write(e.getValue(), out, depth + 1);
    }
    newline(out, depth);
    out.append('}');
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> copy = new TreeMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  private void array(List<?> items, StringBuilder out, int depth) {
    if (items.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(itemSeparator);
      }
      newline(out, depth + 1);
      write(items.get(i), out, depth + 1);
    }
    newline(out, depth);
    out.append(']');
  }

  private void newline(StringBuilder out, int depth) {
    if (indent.isPresent()) {
      out.append('\n').append(" ".repeat(indent.get() * depth));
    }
  }

  private void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || (ensureAscii && c > 0x7E)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python's {@code repr(float)}: shortest digits, exponent form below 1e-4 and from 1e16. */
  static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale(); // d = 0.digits * 10^(exponent + 1)
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign
          + mantissa
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format("%02d", Math.abs(exponent));
    }
    String plain = exact.abs().toPlainString();
    return sign + (plain.contains(".") ? plain : plain + ".0");
  }
}
