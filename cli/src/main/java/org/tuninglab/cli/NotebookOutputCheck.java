package org.tuninglab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a participant must not meet in an executed notebook, whatever its lesson: numbers
 * printed with more than {@value #MAX_SIGNIFICANT_DIGITS} significant digits
 * ({@code 0.18181818181818182}), {@code [I@962fe4b}-style object prints, stack traces, and a
 * cell that ran over {@link #PROGRESS_AFTER} without showing progress (a {@code LiveProgress}
 * view, or a line with "n/N" or "n of N" and an ETA). The first code cell is exempt from the
 * progress rule: its time includes the kernel starting JShell (about 5 s on a loaded machine).
 *
 * <p>What is checked is what the reader sees: streams, and of a rich output its HTML (text
 * only, tags and inline SVG left out), else its Markdown, else its plain text.
 */
final class NotebookOutputCheck {

  static final int MAX_SIGNIFICANT_DIGITS = 6;
  static final Duration PROGRESS_AFTER = Duration.ofSeconds(5);

  /** Examples quoted per cell and kind of problem. */
  private static final int EXAMPLES = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A decimal number that is not part of a longer dotted token (a version, an address). */
  private static final Pattern DECIMAL = Pattern.compile("(?<![\\w.])[-+]?(\\d+)\\.(\\d+)(?:[eE][-+]?\\d+)?(?![\\w.])");
  private static final Pattern IDENTITY_PRINT = Pattern.compile(
      "\\[+(?:[ZBCSIJFD]|L[\\w.$]+;)@[0-9a-f]{4,}|(?<![\\w@])(?:[\\w$]+\\.)*[A-Z$][\\w$]*@[0-9a-f]{5,8}(?![\\w])");
  private static final Pattern STACK_TRACE = Pattern.compile(
      "(?m)^\\s+at [\\w.$<>]+\\([^)\\n]*\\)\\s*$|Traceback \\(most recent call last\\)|^Exception in thread ");
  private static final Pattern PROGRESS_TEXT = Pattern.compile("(?m)^.*(\\d+\\s*/\\s*\\d+|\\d+ of \\d+).*\\bETA\\b.*$");
  private static final String PROGRESS_HTML = "tuninglab-progress";

  private NotebookOutputCheck() {}

  static List<String> check(Path executed) throws IOException {
    return check(JSON.readTree(executed.toFile()));
  }

  /** The problems of an executed notebook's outputs, one line each naming the cell; empty when clean. */
  static List<String> check(JsonNode notebook) {
    List<String> problems = new ArrayList<>();
    JsonNode cells = notebook.path("cells");
    boolean first = true;
    for (int index = 0; index < cells.size(); index++) {
      JsonNode cell = cells.get(index);
      if (!cell.path("cell_type").asText().equals("code")) {
        continue;
      }
      String where = describe(cell, index);
      Set<String> numbers = new LinkedHashSet<>();
      Set<String> prints = new LinkedHashSet<>();
      boolean progress = false;
      for (JsonNode output : cell.path("outputs")) {
        String type = output.path("output_type").asText();
        if (type.equals("error")) {
          problems.add(where + ": error " + output.path("ename").asText() + ": " + firstLine(output.path("evalue").asText()));
          continue;
        }
        String html = type.equals("stream") ? null : textOf(output.path("data").path("text/html"));
        progress |= html != null && html.contains(PROGRESS_HTML);
        String text = type.equals("stream") ? NotebookExpectations.joined(output.path("text"))
            : html != null ? visibleText(html)
            : output.path("data").has("text/markdown") ? textOf(output.path("data").path("text/markdown"))
            : textOf(output.path("data").path("text/plain"));
        if (text == null) {
          continue;
        }
        progress |= PROGRESS_TEXT.matcher(text).find();
        collectLongNumbers(text, numbers);
        Matcher print = IDENTITY_PRINT.matcher(text);
        while (print.find()) {
          prints.add(print.group());
        }
        Matcher trace = STACK_TRACE.matcher(text);
        if (trace.find()) {
          problems.add(where + ": a stack trace in its output: " + firstLine(trace.group().strip()));
        }
      }
      if (!numbers.isEmpty()) {
        problems.add(where + ": numbers with more than " + MAX_SIGNIFICANT_DIGITS + " significant digits: " + examples(numbers));
      }
      if (!prints.isEmpty()) {
        problems.add(where + ": objects printed as Type@hash: " + examples(prints));
      }
      Duration took = duration(cell);
      if (took != null && took.compareTo(PROGRESS_AFTER) > 0 && !progress && !first) {
        problems.add(where + ": ran " + took.toSeconds() + " s without showing progress (LiveProgress, or n/N with an ETA)");
      }
      first = false;
    }
    return problems;
  }

  private static void collectLongNumbers(String text, Set<String> into) {
    Matcher decimal = DECIMAL.matcher(text);
    while (decimal.find()) {
      String digits = (decimal.group(1) + decimal.group(2)).replaceFirst("^0+", "");
      if (digits.length() > MAX_SIGNIFICANT_DIGITS) {
        into.add(decimal.group());
      }
    }
  }

  /** HTML as the reader sees it: inline SVG, scripts and styles dropped, tags removed, entities left as they are. */
  static String visibleText(String html) {
    return html.replaceAll("(?is)<(svg|script|style)\\b.*?</\\1\\s*>", " ").replaceAll("<[^>]*>", " ");
  }

  /** How long the cell ran, from the timings nbclient records; null when it recorded none. */
  static Duration duration(JsonNode cell) {
    JsonNode execution = cell.path("metadata").path("execution");
    String start = execution.path("iopub.execute_input").asText(execution.path("iopub.status.busy").asText(""));
    String end = execution.path("shell.execute_reply").asText(execution.path("iopub.status.idle").asText(""));
    if (start.isEmpty() || end.isEmpty()) {
      return null;
    }
    try {
      return Duration.between(Instant.parse(start), Instant.parse(end));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("cell execution timings are not ISO-8601 instants: '" + start + "', '" + end + "'", e);
    }
  }

  private static String textOf(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : NotebookExpectations.joined(node);
  }

  private static String describe(JsonNode cell, int index) {
    StringBuilder where = new StringBuilder("cell ").append(index + 1);
    JsonNode tags = cell.path("metadata").path("tags");
    if (tags.size() > 0) {
      where.append(" [").append(tags.get(0).asText()).append(']');
    }
    String source = firstLine(NotebookExpectations.joined(cell.path("source")).strip());
    return where.append(" (").append(source.length() > 50 ? source.substring(0, 50) + "..." : source).append(')').toString();
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  private static String examples(Set<String> found) {
    List<String> list = new ArrayList<>(found);
    String shown = String.join(", ", list.subList(0, Math.min(EXAMPLES, list.size())));
    return list.size() > EXAMPLES ? shown + " (+" + (list.size() - EXAMPLES) + " more)" : shown;
  }
}
