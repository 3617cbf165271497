package org.tuninglab.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSONL file (one JSON value a line, blank lines skipped) line by line, passing each
 * parsed value with its 1-based line number. Each caller raises its own format error, so a line
 * that is not JSON is reported in the caller's terms (a data set's record, a corpus document).
 */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Receives one parsed line. */
  @FunctionalInterface
  public interface LineHandler {
    void accept(JsonNode value, long line) throws IOException;
  }

  /** Makes the error for a line that does not parse. */
  @FunctionalInterface
  public interface ParseError {
    IOException at(long line, String detail);
  }

  private JsonLines() {}

  /**
   * Reads every non-blank line of {@code file} as JSON, in order.
   *
   * @param file a UTF-8 JSONL file
   * @param parseError the error for a line that is not valid JSON, given its line and {@code "not
   *     valid JSON: ..."}
   * @param each receives each value and its line
   * @throws IOException if the file cannot be read, a line does not parse, or {@code each} fails
   */
  public static void forEach(Path file, ParseError parseError, LineHandler each)
      throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode value;
        try {
          value = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw parseError.at(line, "not valid JSON: " + e.getOriginalMessage());
        }
        each.accept(value, line);
      }
    }
  }
}
