package org.tuninglab.tokenize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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

  /**
   * Reads a text file of a model folder as UTF-8; binary garbage is named with its file, instead of
   * the JDK's bare "Input length = 1".
   */
  static String readText(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new TokenizerFormatException(
          file, "is not UTF-8 text (a bad byte at offset " + bytes.position() + "); expected the"
              + " text file " + file.getFileName() + " that transformers saves", e);
    }
  }

  /** Reads and parses {@code file}, which must exist and hold a JSON object. */
  static JsonNode readObject(Path file) throws IOException {
    JsonNode node = parse(file, readText(file));
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
