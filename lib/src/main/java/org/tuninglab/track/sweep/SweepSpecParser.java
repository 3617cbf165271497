package org.tuninglab.track.sweep;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tuninglab.track.StoreJson;
import org.tuninglab.track.TrackException;
import org.tuninglab.track.sweep.ParamSpec.Numeric.Scale;

/**
 * Reads a sweep spec shaped like W&amp;B's:
 *
 * <pre>
 * name: lora-lr            # unique in the store (the CLI's --name overrides it)
 * method: bayes            # grid | random | bayes
 * metric: {name: eval_loss, goal: minimize}
 * parameters:
 *   lr: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-3}
 *   batch_size: {values: [4, 8]}
 *   r: {distribution: int_uniform, min: 4, max: 16}
 *   epochs: {value: 3}
 * early_terminate: {type: hyperband, min_iter: 1, eta: 3}
 * run_cap: 12              # required for random and bayes
 * seed: 0                  # optional
 * objective: toy           # what workers run: toy or a TrialFunction class name
 * max_retries: 0           # retries of failed trials
 * </pre>
 *
 * Distributions: {@code constant}, {@code categorical}, {@code uniform}, {@code int_uniform},
 * {@code log_uniform_values}, {@code q_uniform}, {@code q_log_uniform_values}; without
 * {@code distribution}, {@code values} means categorical, {@code value} constant, integer
 * {@code min/max} int_uniform and other numbers uniform. Every error names the source, line and key.
 */
public final class SweepSpecParser {

  private static final Set<String> TOP_KEYS =
      Set.of("name", "method", "metric", "parameters", "early_terminate", "run_cap", "seed",
          "objective", "max_retries", "description", "program", "command", "project", "entity");
  private static final Set<String> PARAM_KEYS = Set.of("distribution", "values", "value", "min", "max", "q");
  private static final YAMLMapper YAML = new YAMLMapper();

  private final String source;
  private final Map<String, Integer> lines;

  private SweepSpecParser(String source, Map<String, Integer> lines) {
    this.source = source;
    this.lines = lines;
  }

  /** Parses the YAML file at {@code file}. */
  public static SweepSpec parse(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new TrackException("cannot read sweep spec " + file + ": " + e, e);
    }
  }

  /** Parses YAML {@code text}; {@code source} names it in errors. */
  public static SweepSpec parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TrackException(source + ": not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    }
    SweepSpecParser p = new SweepSpecParser(source, keyLines(text));
    if (root == null || !root.isObject()) {
      throw new TrackException(source + ": expected a YAML mapping with method, metric and parameters");
    }
    return p.spec(root);
  }

  private SweepSpec spec(JsonNode root) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!TOP_KEYS.contains(key)) {
        throw error("/" + key, "unknown key '" + key + "'; expected one of " + new java.util.TreeSet<>(TOP_KEYS));
      }
    }
    String name = root.has("name") ? text(root, "/name") : null;
    SweepMethod method = enumValue(SweepMethod.class, required(root, "/method"), "/method");
    JsonNode metric = required(root, "/metric");
    if (!metric.isObject()) {
      throw error("/metric", "expected a mapping {name: ..., goal: minimize|maximize}");
    }
    String metricName = text(metric, "/metric/name");
    Goal goal = metric.has("goal") ? enumValue(Goal.class, metric.get("goal"), "/metric/goal") : Goal.MINIMIZE;
    JsonNode params = required(root, "/parameters");
    if (!params.isObject() || params.isEmpty()) {
      throw error("/parameters", "expected a mapping of at least one parameter name to its values or distribution");
    }
    Map<String, ParamSpec> parameters = new LinkedHashMap<>();
    params.properties().forEach(e -> parameters.put(e.getKey(), param(e.getValue(), "/parameters/" + e.getKey())));
    Hyperband hb = root.has("early_terminate") ? hyperband(root.get("early_terminate")) : null;
    int gridSize = method == SweepMethod.GRID ? gridSize(parameters) : 0;
    int runCap;
    if (root.has("run_cap")) {
      runCap = positiveInt(root.get("run_cap"), "/run_cap");
      if (method == SweepMethod.GRID) {
        runCap = Math.min(runCap, gridSize);
      }
    } else if (method == SweepMethod.GRID) {
      runCap = gridSize;
    } else {
      throw error("/run_cap", "missing key 'run_cap': method " + method.name().toLowerCase() + " needs the number of trials");
    }
    long seed = root.has("seed") ? number(root.get("seed"), "/seed").longValue() : 0L;
    String objective = root.has("objective") ? text(root, "/objective") : null;
    int maxRetries = root.has("max_retries") ? nonNegativeInt(root.get("max_retries"), "/max_retries") : 0;
    return new SweepSpec(name, method, metricName, goal, parameters, hb, runCap, seed, objective, maxRetries);
  }

  private ParamSpec param(JsonNode node, String at) {
    if (!node.isObject()) {
      throw error(at, "expected a mapping with 'values', 'value' or 'distribution' with 'min' and 'max'");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!PARAM_KEYS.contains(key)) {
        throw error(at + "/" + key, "unknown key '" + key + "'; expected one of " + new java.util.TreeSet<>(PARAM_KEYS));
      }
    }
    String dist;
    if (node.has("distribution")) {
      dist = text(node, at + "/distribution");
    } else if (node.has("values")) {
      dist = "categorical";
    } else if (node.has("value")) {
      dist = "constant";
    } else if (node.has("min") && node.has("max")) {
      dist = node.get("min").isIntegralNumber() && node.get("max").isIntegralNumber() ? "int_uniform" : "uniform";
    } else {
      throw error(at, "expected 'values', 'value', or 'min' and 'max'");
    }
    switch (dist) {
      case "constant":
        return new ParamSpec.Constant(plain(required(node, at + "/value")));
      case "categorical": {
        JsonNode values = required(node, at + "/values");
        if (!values.isArray() || values.isEmpty()) {
          throw error(at + "/values", "expected a non-empty list");
        }
        List<Object> list = new ArrayList<>();
        values.forEach(v -> list.add(plain(v)));
        return new ParamSpec.Categorical(List.copyOf(list));
      }
      case "uniform":
        return numeric(node, at, Scale.LINEAR, false);
      case "q_uniform":
        return numeric(node, at, Scale.LINEAR, true);
      case "int_uniform":
        return numeric(node, at, Scale.INTEGER, false);
      case "log_uniform_values":
        return numeric(node, at, Scale.LOG, false);
      case "q_log_uniform_values":
        return numeric(node, at, Scale.LOG, true);
      case "log_uniform":
        throw error(at + "/distribution", "'log_uniform' takes exponents of e in W&B and is not supported; use 'log_uniform_values' with the values themselves");
      default:
        throw error(at + "/distribution", "unknown distribution '" + dist + "'; expected one of constant, categorical, uniform, q_uniform, int_uniform, log_uniform_values, q_log_uniform_values");
    }
  }

  private ParamSpec numeric(JsonNode node, String at, Scale scale, boolean quantised) {
    double min = number(required(node, at + "/min"), at + "/min").doubleValue();
    double max = number(required(node, at + "/max"), at + "/max").doubleValue();
    if (!(min < max)) {
      throw error(at + "/max", "expected max > min, got min " + min + " and max " + max);
    }
    if (scale == Scale.LOG && min <= 0) {
      throw error(at + "/min", "log_uniform_values needs min > 0, got " + min);
    }
    if (scale == Scale.INTEGER && (min != Math.rint(min) || max != Math.rint(max))) {
      throw error(at, "int_uniform needs integer min and max, got " + min + " and " + max);
    }
    double q = 0;
    if (quantised) {
      q = number(required(node, at + "/q"), at + "/q").doubleValue();
      if (!(q > 0)) {
        throw error(at + "/q", "expected q > 0, got " + q);
      }
    } else if (node.has("q")) {
      throw error(at + "/q", "'q' needs a q_ distribution (q_uniform, q_log_uniform_values)");
    }
    return new ParamSpec.Numeric(scale, min, max, q);
  }

  private Hyperband hyperband(JsonNode node) {
    String at = "/early_terminate";
    if (!node.isObject()) {
      throw error(at, "expected a mapping {type: hyperband, min_iter: N, eta: N}");
    }
    String type = text(node, at + "/type");
    if (!type.equals("hyperband")) {
      throw error(at + "/type", "unknown early_terminate type '" + type + "'; expected hyperband");
    }
    if (node.has("s")) {
      throw error(at + "/s", "'s' (bracket count) is not supported; give min_iter (and optionally max_iter)");
    }
    int minIter = positiveInt(required(node, at + "/min_iter"), at + "/min_iter");
    int eta = node.has("eta") ? positiveInt(node.get("eta"), at + "/eta") : 3;
    if (eta < 2) {
      throw error(at + "/eta", "expected eta >= 2, got " + eta);
    }
    int maxIter = node.has("max_iter") ? positiveInt(node.get("max_iter"), at + "/max_iter") : 0;
    return new Hyperband(minIter, eta, maxIter);
  }

  private int gridSize(Map<String, ParamSpec> parameters) {
    long size = 1;
    for (Map.Entry<String, ParamSpec> e : parameters.entrySet()) {
      if (e.getValue() instanceof ParamSpec.Categorical c) {
        size *= c.values().size();
      } else if (!(e.getValue() instanceof ParamSpec.Constant)) {
        throw error("/parameters/" + e.getKey(), "method grid needs 'values' or 'value' for every parameter, not a distribution");
      }
    }
    if (size > 1_000_000) {
      throw error("/parameters", "grid of " + size + " combinations is too large (at most 1000000)");
    }
    return (int) size;
  }

  private JsonNode required(JsonNode parent, String pointer) {
    String key = pointer.substring(pointer.lastIndexOf('/') + 1);
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      throw error(pointer.substring(0, pointer.lastIndexOf('/')), "missing key '" + key + "' (at " + dotted(pointer) + ")");
    }
    return node;
  }

  private String text(JsonNode parent, String pointer) {
    JsonNode node = required(parent, pointer);
    if (!node.isTextual() || node.asText().isBlank()) {
      throw error(pointer, "expected a non-empty string, got " + node);
    }
    return node.asText();
  }

  private Number number(JsonNode node, String pointer) {
    if (!node.isNumber()) {
      throw error(pointer, "expected a number, got " + node);
    }
    return node.numberValue();
  }

  private int positiveInt(JsonNode node, String pointer) {
    if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > Integer.MAX_VALUE) {
      throw error(pointer, "expected a positive integer, got " + node);
    }
    return node.asInt();
  }

  private int nonNegativeInt(JsonNode node, String pointer) {
    if (!node.isIntegralNumber() || node.asLong() < 0 || node.asLong() > Integer.MAX_VALUE) {
      throw error(pointer, "expected an integer >= 0, got " + node);
    }
    return node.asInt();
  }

  private <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String pointer) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase());
      if (node.isTextual() && e.name().equalsIgnoreCase(node.asText())) {
        return e;
      }
    }
    throw error(pointer, "expected one of " + names + ", got " + node);
  }

  private static Object plain(JsonNode v) {
    if (v.getNodeType() == JsonNodeType.OBJECT || v.isArray()) {
      return StoreJson.MAPPER.convertValue(v, Object.class);
    }
    return v.isIntegralNumber() ? (Object) v.asInt() : v.isNumber() ? (Object) v.asDouble()
        : v.isBoolean() ? (Object) v.asBoolean() : v.asText();
  }

  private TrackException error(String pointer, String message) {
    Integer line = lineOf(pointer);
    String where = line == null ? source : source + ":" + line;
    String key = pointer.isEmpty() ? "" : " key '" + dotted(pointer) + "':";
    return new TrackException(where + ":" + key + " " + message);
  }

  private Integer lineOf(String pointer) {
    for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
      Integer line = lines.get(p);
      if (line != null || p.isEmpty()) {
        return line;
      }
    }
  }

  private static String dotted(String pointer) {
    return pointer.startsWith("/") ? pointer.substring(1).replace('/', '.') : pointer;
  }

  // JSON pointer of every key and value to its 1-based line, via the streaming parser's locations.
  private static Map<String, Integer> keyLines(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      for (JsonToken t; (t = p.nextToken()) != null; ) {
        if (t == JsonToken.FIELD_NAME || t.isScalarValue()) {
          lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      // the tree parse reports syntax errors with their location
    }
    return lines;
  }
}
