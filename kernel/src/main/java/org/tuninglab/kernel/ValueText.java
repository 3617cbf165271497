package org.tuninglab.kernel;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The plain text of a cell's value when nothing more specific renders it: arrays show their
 * elements ({@code [1, 2, 3]}, not {@code [I@962fe4b}), and doubles and floats, alone or in
 * arrays, collections and map values, show {@value #SIGNIFICANT_DIGITS} significant digits
 * ({@code 0.181818}, not {@code 0.18181818181818182}). Only the text changes, never the value.
 */
final class ValueText {

  static final int SIGNIFICANT_DIGITS = 6;

  /** Elements shown of a long array or collection: the first ones, then the last {@value #TAIL}. */
  static final int HEAD = 20;
  static final int TAIL = 5;

  private static final MathContext ROUNDING = new MathContext(SIGNIFICANT_DIGITS);

  private ValueText() {}

  static String of(Object value) {
    if (value == null) {
      return "null";
    }
    if (value.getClass().isArray()) {
      return array(value);
    }
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    if (value instanceof Collection<?> collection && !collection.isEmpty() && collection.stream().allMatch(Number.class::isInstance)) {
      return elements(collection.iterator(), collection.size());
    }
    if (value instanceof Map<?, ?> map && !map.isEmpty() && map.values().stream().allMatch(Number.class::isInstance)) {
      StringJoiner text = new StringJoiner(", ", "{", "}");
      map.forEach((k, v) -> text.add(k + "=" + element(v)));
      return text.toString();
    }
    return String.valueOf(value);
  }

  /** {@code d} with at most {@value #SIGNIFICANT_DIGITS} significant digits; a small whole number keeps its ".0". */
  static String number(double d) {
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    double abs = Math.abs(d);
    if (d == Math.rint(d) && abs < 1e6) {
      return Double.toString(d);
    }
    BigDecimal rounded = new BigDecimal(d).round(ROUNDING).stripTrailingZeros();
    if (abs >= 1e-4 && abs < 1e15) {
      return rounded.toPlainString();
    }
    int exponent = rounded.precision() - rounded.scale() - 1;
    return rounded.movePointLeft(exponent).toPlainString() + "e" + exponent;
  }

  private static String array(Object array) {
    int length = Array.getLength(array);
    Iterator<Object> items = new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < length;
      }

      @Override
      public Object next() {
        return Array.get(array, next++);
      }
    };
    return elements(items, length);
  }

  private static String elements(Iterator<?> items, int size) {
    StringJoiner text = new StringJoiner(", ", "[", "]");
    boolean cut = size > HEAD + TAIL;
    for (int i = 0; items.hasNext(); i++) {
      Object item = items.next();
      if (!cut || i < HEAD || i >= size - TAIL) {
        text.add(element(item));
      } else if (i == HEAD) {
        text.add("...");
      }
    }
    return cut ? text + " (" + size + " values)" : text.toString();
  }

  private static String element(Object item) {
    return item != null && (item.getClass().isArray() || item instanceof Double || item instanceof Float)
        ? of(item) : String.valueOf(item);
  }
}
