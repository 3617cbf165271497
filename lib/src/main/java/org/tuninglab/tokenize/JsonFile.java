package org.tuninglab.tokenize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the JSON files of a model folder, reporting syntax errors with file, line and column. */
final class JsonFile {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFile() {}

  /** Parses a JSON text that was read from {@code file}. */
  static JsonNode parse(Path file, String text) throws TokenizerFormatException {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new TokenizerFormatException(file, "is empty, expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new TokenizerFormatException(
          file, "is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Reads and parses {@code file}, which must exist and hold a JSON object. */
  static JsonNode readObject(Path file) throws IOException {
    JsonNode node = parse(file, Files.readString(file, StandardCharsets.UTF_8));
    if (!node.isObject()) {
      throw new TokenizerFormatException(
          file, "expected a JSON object at the top level, found " + node.getNodeType());
    }
    return node;
  }

  /** Reads {@code file} like {@link #readObject} when it exists. */
  static Optional<JsonNode> readObjectIfExists(Path file) throws IOException {
    return Files.isRegularFile(file) ? Optional.of(readObject(file)) : Optional.empty();
  }
}
