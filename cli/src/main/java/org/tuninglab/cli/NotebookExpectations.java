package org.tuninglab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs each notebook must produce, from {@code notebooks/expected-outputs.json}:
 *
 * <pre>{@code
 * { "00-setup.ipynb": [ {"tag": "table", "mime": "text/html", "contains": "<table"}, ... ] }
 * }</pre>
 *
 * <p>{@code tag} names a code cell by its cell tag; {@code mime} is a MIME type of a rich output
 * or {@code stdout}/{@code stderr} for streams; {@code contains} (optional) must occur in it.
 * Every notebook needs an entry, so a new notebook comes with its checks.
 */
final class NotebookExpectations {

  static final String FILE_NAME = "expected-outputs.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode manifest;
  private final Path source;

  private NotebookExpectations(JsonNode manifest, Path source) {
    this.manifest = manifest;
    this.source = source;
  }

  static NotebookExpectations load(Path notebooksDir) throws IOException {
    Path file = notebooksDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Missing " + file + ": it lists each notebook's expected outputs");
    }
    JsonNode manifest = JSON.readTree(file.toFile());
    if (!manifest.isObject()) {
      throw new IllegalArgumentException(file + " must hold a JSON object keyed by notebook file name");
    }
    return new NotebookExpectations(manifest, file);
  }

  /** What {@code executed} (the run of the notebook named {@code name}) lacks; empty when all is there. */
  List<String> check(String name, Path executed) throws IOException {
    JsonNode expected = manifest.get(name);
    if (expected == null || !expected.isArray()) {
      return List.of("no entry for " + name + " in " + source);
    }
    JsonNode cells = JSON.readTree(executed.toFile()).path("cells");
    List<String> problems = new ArrayList<>();
    for (JsonNode expectation : expected) {
      String tag = expectation.path("tag").asText("");
      String mime = expectation.path("mime").asText("");
      String contains = expectation.path("contains").asText("");
      if (tag.isEmpty() || mime.isEmpty()) {
        problems.add("an expectation for " + name + " lacks its 'tag' or 'mime': " + expectation);
        continue;
      }
      List<JsonNode> tagged = new ArrayList<>();
      cells.forEach(cell -> {
        for (JsonNode t : cell.path("metadata").path("tags")) {
          if (t.asText().equals(tag)) {
            tagged.add(cell);
          }
        }
      });
      if (tagged.isEmpty()) {
        problems.add("no cell tagged '" + tag + "'");
      } else if (tagged.stream().noneMatch(cell -> hasOutput(cell, mime, contains))) {
        problems.add("cell '" + tag + "' has no " + mime + " output" + (contains.isEmpty() ? "" : " containing '" + contains + "'"));
      }
    }
    return problems;
  }

  private static boolean hasOutput(JsonNode cell, String mime, String contains) {
    for (JsonNode output : cell.path("outputs")) {
      String text = null;
      if (output.path("output_type").asText().equals("stream")) {
        if (output.path("name").asText().equals(mime)) {
          text = joined(output.path("text"));
        }
      } else if (output.path("data").has(mime)) {
        text = joined(output.path("data").path(mime));
      }
      if (text != null && text.contains(contains)) {
        return true;
      }
    }
    return false;
  }

  /** nbformat stores multi-line text either as one string or as a list of lines. */
  static String joined(JsonNode text) {
    if (!text.isArray()) {
      return text.asText();
    }
    StringBuilder out = new StringBuilder();
    text.forEach(line -> out.append(line.asText()));
    return out.toString();
  }
}
