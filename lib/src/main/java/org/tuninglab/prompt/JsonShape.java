package org.tuninglab.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The shape a JSON reply must have: a small, strict subset of JSON Schema that covers what the
 * workshop asks models for (objects with required keys, arrays of them, strings, numbers...). Keys
 * an object shape does not name are allowed.
 *
 * <pre>{@code
 * JsonShape entities = JsonShape.object(Map.of(
 *     "entities", JsonShape.arrayOf(JsonShape.object(Map.of(
 *         "entity", JsonShape.string(),
 *         "type", JsonShape.string())))));
 * }</pre>
 */
public sealed interface JsonShape {

  /**
   * Lists how a value differs from this shape.
   *
   * @param value the parsed JSON
   * @param path where the value sits, as {@code $.entities[0].type}
   * @return one reason per mismatch; empty if the value fits
   */
  List<String> problems(JsonNode value, String path);

  /**
   * Lists how a whole document differs from this shape.
   *
   * @param value the parsed JSON
   * @return one reason per mismatch, paths starting at {@code $}; empty if it fits
   */
  default List<String> problems(JsonNode value) {
    return problems(value, "$");
  }

  /**
   * Any JSON value at all.
   *
   * @return the shape
   */
  static JsonShape any() {
    return new Scalar(null, "any value");
  }

  /**
   * A JSON string.
   *
   * @return the shape
   */
  static JsonShape string() {
    return new Scalar(JsonNodeType.STRING, "a string");
  }

  /**
   * A JSON number.
   *
   * @return the shape
   */
  static JsonShape number() {
    return new Scalar(JsonNodeType.NUMBER, "a number");
  }

  /**
   * {@code true} or {@code false}.
   *
   * @return the shape
   */
  static JsonShape bool() {
    return new Scalar(JsonNodeType.BOOLEAN, "a boolean");
  }

  /**
   * An array whose every element has the given shape (an empty array fits).
   *
   * @param element the shape of each element
   * @return the shape
   */
  static JsonShape arrayOf(JsonShape element) {
    return new ArrayOf(element);
  }

  /**
   * An object with (at least) these keys, each value of its shape.
   *
   * @param required key to shape; iteration order is the order problems are reported in
   * @return the shape
   */
  static JsonShape object(Map<String, JsonShape> required) {
    return new ObjectWith(required);
  }

  /**
   * What this shape calls its values in a problem report.
   *
   * @return for example {@code "an object"}
   */
  String describe();

  /** A string, number, boolean or any value. */
  record Scalar(JsonNodeType type, String describe) implements JsonShape {

    /** Requires a description; a null type means any value. */
    public Scalar {
      Objects.requireNonNull(describe, "describe");
    }

    @Override
    public List<String> problems(JsonNode value, String path) {
      if (type == null || value.getNodeType() == type) {
        return List.of();
      }
      return List.of(path + ": expected " + describe + ", got " + kind(value));
    }
  }

  /** An array of elements of one shape. */
  record ArrayOf(JsonShape element) implements JsonShape {

    /** Requires the element shape. */
    public ArrayOf {
      Objects.requireNonNull(element, "element");
    }

    @Override
    public String describe() {
      return "an array";
    }

    @Override
    public List<String> problems(JsonNode value, String path) {
      if (!value.isArray()) {
        return List.of(path + ": expected an array, got " + kind(value));
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        out.addAll(element.problems(value.get(i), path + "[" + i + "]"));
      }
      return out;
    }
  }

  /** An object with required keys. */
  record ObjectWith(Map<String, JsonShape> required) implements JsonShape {

    /** Copies the keys, keeping their order, and rejects null shapes. */
    public ObjectWith {
      Objects.requireNonNull(required, "required");
      required.forEach((k, v) -> Objects.requireNonNull(v, "shape of key '" + k + "'"));
      required = Collections.unmodifiableMap(new LinkedHashMap<>(required));
    }

    @Override
    public String describe() {
      return "an object";
    }

    @Override
    public List<String> problems(JsonNode value, String path) {
      if (!value.isObject()) {
        return List.of(path + ": expected an object, got " + kind(value));
      }
      List<String> out = new ArrayList<>();
      required.forEach(
          (key, shape) -> {
            JsonNode child = value.get(key);
            if (child == null) {
              out.add(path + ": missing key '" + key + "' (" + shape.describe() + ")");
            } else {
              out.addAll(shape.problems(child, path + "." + key));
            }
          });
      return out;
    }
  }

  private static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> value.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}
