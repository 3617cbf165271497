package org.tuninglab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The exercises' self-checks, read from an executed notebook: every code cell tagged
 * {@value #TAG} prints {@code PASS: ...} or {@code FAIL: ...} lines ({@code SelfCheck} in the
 * library). A notebook as shipped leaves its exercises open, so each of its self-checks must say
 * FAIL; its worked solution ({@code notebooks/solutions/}) must make each say PASS and none FAIL.
 * That keeps the checks honest: one that passes on the untouched exercise, or fails on the
 * solution, is reported.
 */
final class NotebookSelfChecks {

  static final String TAG = "self-check";

  private static final ObjectMapper JSON = new ObjectMapper();

  private NotebookSelfChecks() {}

  static List<String> check(Path executed, boolean solved) throws IOException {
    return check(JSON.readTree(executed.toFile()), solved);
  }

  /** What is wrong with the self-checks' outputs; empty when each says what it should. */
  static List<String> check(JsonNode notebook, boolean solved) {
    List<String> problems = new ArrayList<>();
    JsonNode cells = notebook.path("cells");
    for (int index = 0; index < cells.size(); index++) {
      JsonNode cell = cells.get(index);
      if (!isSelfCheck(cell)) {
        continue;
      }
      StringBuilder stdout = new StringBuilder();
      for (JsonNode output : cell.path("outputs")) {
        if (output.path("output_type").asText().equals("stream") && output.path("name").asText().equals("stdout")) {
          stdout.append(NotebookExpectations.joined(output.path("text")));
        }
      }
      String text = stdout.toString();
      boolean pass = text.lines().anyMatch(l -> l.startsWith("PASS"));
      boolean fail = text.lines().anyMatch(l -> l.startsWith("FAIL"));
      String where = "self-check in cell " + (index + 1);
      if (solved && (fail || !pass)) {
        problems.add(where + " should PASS on the solution but printed: " + firstLines(text));
      } else if (!solved && !fail) {
        problems.add(where + " should FAIL on the untouched exercise but printed: " + firstLines(text));
      }
    }
    return problems;
  }

  static boolean isSelfCheck(JsonNode cell) {
    for (JsonNode tag : cell.path("metadata").path("tags")) {
      if (tag.asText().equals(TAG)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLines(String text) {
    if (text.isBlank()) {
      return "(nothing)";
    }
    List<String> lines = text.strip().lines().toList();
    return String.join(" / ", lines.subList(0, Math.min(3, lines.size())));
  }
}
