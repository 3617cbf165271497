package org.tuninglab.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.tuninglab.io.ChildJvm;
import org.tuninglab.model.ModelConfig;

/**
 * Runs one method of {@link MethodsBenchmark} in a JVM of its own, so that the method's peak
 * memory is its own and not what the allocator kept from an earlier method.
 *
 * <p>The parent starts {@code java} from its own {@code java.home} with its own class path and
 * this class as the main class, passing the method and the settings as JSON; the child measures
 * and prints one line, {@value #RECORD_PREFIX} followed by the row as JSON, on stdout. Its stderr
 * (engine logs, errors) goes to the parent's.
 */
public final class MethodProcess {
  /** The start of the child's result line on stdout. */
  static final String RECORD_PREFIX = "methods-benchmark-row ";

  private static final ObjectMapper JSON = new ObjectMapper();

  private MethodProcess() {}

  /**
   * Measures one method in a child JVM.
   *
   * @param method full, lora, qlora or prompt
   * @param settings the sizes
   * @return the child's row
   * @throws IOException if the child cannot start, fails, or prints no row
   */
  static MethodsBenchmark.Row run(String method, MethodsBenchmark.Settings settings)
      throws IOException {
    String row = ChildJvm.resultLine("the " + method + " benchmark", List.of(), env -> { },
        MethodProcess.class, List.of(method, toJson(settings)), RECORD_PREFIX);
    return JSON.readValue(row, MethodsBenchmark.Row.class);
  }

  /**
   * The child's entry point.
   *
   * @param args the method and the settings as JSON
   * @throws IOException if {@code /proc/self/status} cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: MethodProcess METHOD SETTINGS_JSON (started by MethodsBenchmark.run)");
    }
    MethodsBenchmark.Row row = MethodsBenchmark.measure(args[0], fromJson(args[1]));
    System.out.println(RECORD_PREFIX + JSON.writeValueAsString(row));
  }

  static String toJson(MethodsBenchmark.Settings s) throws JsonProcessingException {
    ObjectNode o = JSON.createObjectNode();
    o.set("model", s.model().toJson());
    o.put("batch", s.batch());
    o.put("seq_len", s.seqLen());
    o.put("steps", s.steps());
    o.put("warmup", s.warmup());
    o.put("lora_rank", s.loraRank());
    o.put("virtual_tokens", s.virtualTokens());
    o.put("python", s.python());
    return JSON.writeValueAsString(o);
  }

  static MethodsBenchmark.Settings fromJson(String json) throws IOException {
    JsonNode o = JSON.readTree(json);
    return new MethodsBenchmark.Settings(
        ModelConfig.fromJson(o.get("model"), "benchmark settings"), o.get("batch").asInt(),
        o.get("seq_len").asInt(), o.get("steps").asInt(), o.get("warmup").asInt(),
        o.get("lora_rank").asInt(), o.get("virtual_tokens").asInt(),
        o.get("python").isNull() ? null : o.get("python").asText());
  }
}
