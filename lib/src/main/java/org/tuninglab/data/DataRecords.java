package org.tuninglab.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tuninglab.io.JsonLines;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Reads the records of a data file, {@code .csv} (with a header row), {@code .json} (an array of
 * objects) or {@code .jsonl} (one object a line), each with the line it starts on, and the field
 * readers every kind of example shares; errors name the file, the line and the field.
 */
final class DataRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  /** Turns one JSON object into a record. */
  @FunctionalInterface
  interface JsonRecord<T> {
    T read(JsonNode object, long line) throws IOException;
  }

  /** Turns one CSV row (column name to text) into a record. */
  @FunctionalInterface
  interface CsvRecord<T> {
    T read(Map<String, String> row, long line) throws IOException;
  }

  private DataRecords() {}

  /** Loads every record of {@code file}, choosing the format by extension. */
  static <T> List<T> load(Path file, JsonRecord<T> json, CsvRecord<T> csv) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    JsonRecord<T> object =
        (node, line) -> {
          if (!node.isObject()) {
            throw new DatasetFormatException(
                file, line, "(record)", "expected a JSON object, found " + node.getNodeType());
          }
          return json.read(node, line);
        };
    if (name.endsWith(".jsonl")) {
      List<T> records = new ArrayList<>();
      JsonLines.forEach(
          file,
          (line, detail) -> new DatasetFormatException(file, line, "(record)", detail),
          (node, line) -> records.add(object.read(node, line)));
      return records;
    }
    if (name.endsWith(".json")) {
      return loadJsonArray(file, object);
    }
    if (name.endsWith(".csv")) {
      return loadCsv(file, csv);
    }
    throw new IOException(file + ": unknown data format; expected a .csv, .json or .jsonl file");
  }

  private static <T> List<T> loadJsonArray(Path file, JsonRecord<T> object) throws IOException {
    List<T> records = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new DatasetFormatException(
            file, parser.currentTokenLocation().getLineNr(), "(file)", "expected a JSON array of objects");
      }
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        long line = parser.currentTokenLocation().getLineNr();
        if (t == null) {
          throw new DatasetFormatException(file, line, "(file)", "the array is not closed");
        }
        records.add(object.read(JSON.readTree(parser), line));
      }
    }
    return records;
  }

  private static <T> List<T> loadCsv(Path file, CsvRecord<T> csv) throws IOException {
    List<T> records = new ArrayList<>();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class).with(schema).readValues(file.toFile())) {
      while (rows.hasNextValue()) {
        // The parser still points at the end of the previous row (or the header): the row starts on
        // the next line.
        long line = rows.getParser().currentTokenLocation().getLineNr() + 1;
        records.add(csv.read(rows.nextValue(), line));
      }
    }
    return records;
  }

  /** A CSV row's column, or an error naming the columns the header has. */
  static String column(Map<String, String> row, String column, Path file, long line)
      throws DatasetFormatException {
    String value = row.get(column);
    if (value == null) {
      throw new DatasetFormatException(
          file, line, column, "missing column; the header has " + row.keySet());
    }
    return value;
  }

  /** The object's scalar fields as text, for splitting by a field's value. */
  static Map<String, String> scalarFields(JsonNode object) {
    Map<String, String> fields = new LinkedHashMap<>();
    object
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                fields.put(e.getKey(), e.getValue().asText());
              }
            });
    return fields;
  }

  /** A list of {@code {role, content}} turns with known roles; {@code field} names it in errors. */
  static List<ChatMessage> messages(JsonNode turns, Path file, long line, String field)
      throws DatasetFormatException {
    if (!turns.isArray()) {
      throw new DatasetFormatException(
          file, line, field, "expected a list of {role, content}, found " + turns.getNodeType());
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      JsonNode turn = turns.get(i);
      String where = field + "[" + i + "]";
      if (!turn.isObject()) {
        throw new DatasetFormatException(
            file, line, where, "expected an object {role, content}, found " + turn.getNodeType());
      }
      String role = text(turn, "role", file, line, where + ".role");
      String content = text(turn, "content", file, line, where + ".content");
      if (!Conversation.ROLES.contains(role)) {
        throw new DatasetFormatException(
            file, line, where + ".role", "\"" + role + "\" is not one of " + Conversation.ROLES);
      }
      messages.add(new ChatMessage(role, content));
    }
    return messages;
  }

  /** A string field; {@code field} names it in errors (a path such as {@code messages[1].role}). */
  static String text(JsonNode node, String key, Path file, long line, String field)
      throws DatasetFormatException {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw new DatasetFormatException(file, line, field, "missing; expected a string");
    }
    if (!value.isTextual()) {
      throw new DatasetFormatException(
          file, line, field, "expected a string, found " + value.getNodeType());
    }
    return value.asText();
  }
}
