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
 * Loads examples from {@code .csv} (with a header row), {@code .json} (an array of objects) and
 * {@code .jsonl} (one object a line), validating every record: a missing field, a wrong type, an
 * empty completion or an unknown role fails with the file, the line and the field.
 */
public final class ExampleFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private ExampleFiles() {}

  /**
   * Loads a data file, choosing the format by extension.
   *
   * @param file the file
   * @param mapping which fields hold the prompt, completion or messages
   * @return the examples in file order
   * @throws DatasetFormatException if a record is invalid
   * @throws IOException if the file cannot be read or parsed
   */
  public static List<Example> load(Path file, FieldMapping mapping) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl")) {
      return loadJsonLines(file, mapping);
    }
    if (name.endsWith(".json")) {
      return loadJsonArray(file, mapping);
    }
    if (name.endsWith(".csv")) {
      return loadCsv(file, mapping);
    }
    throw new IOException(file + ": unknown data format; expected a .csv, .json or .jsonl file");
  }

  private static List<Example> loadJsonLines(Path file, FieldMapping mapping) throws IOException {
    List<Example> examples = new ArrayList<>();
    JsonLines.forEach(
        file,
        (line, detail) -> new DatasetFormatException(file, line, "(record)", detail),
        (node, line) -> examples.add(fromJson(node, file, line, mapping)));
    return examples;
  }

  private static List<Example> loadJsonArray(Path file, FieldMapping mapping) throws IOException {
    List<Example> examples = new ArrayList<>();
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
        JsonNode node = JSON.readTree(parser);
        examples.add(fromJson(node, file, line, mapping));
      }
    }
    return examples;
  }

  private static List<Example> loadCsv(Path file, FieldMapping mapping) throws IOException {
    List<Example> examples = new ArrayList<>();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class).with(schema).readValues(file.toFile())) {
      while (rows.hasNextValue()) {
        // The parser still points at the end of the previous row (or the header): the row starts on
        // the next line.
        long line = rows.getParser().currentTokenLocation().getLineNr() + 1;
        Map<String, String> row = rows.nextValue();
        Map<String, String> fields = new LinkedHashMap<>(row);
        String prompt = fields.remove(mapping.prompt());
        String completion = fields.remove(mapping.completion());
        if (prompt == null) {
          throw new DatasetFormatException(
              file, line, mapping.prompt(), "missing column; the header has " + row.keySet());
        }
        if (completion == null) {
          throw new DatasetFormatException(
              file, line, mapping.completion(), "missing column; the header has " + row.keySet());
        }
        examples.add(promptCompletion(prompt, completion, fields, file, line, mapping));
      }
    }
    return examples;
  }

  private static Example fromJson(JsonNode node, Path file, long line, FieldMapping mapping)
      throws DatasetFormatException {
    if (!node.isObject()) {
      throw new DatasetFormatException(
          file, line, "(record)", "expected a JSON object, found " + node.getNodeType());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                fields.put(e.getKey(), e.getValue().asText());
              }
            });
    if (node.has(mapping.messages())) {
      return conversation(node.get(mapping.messages()), fields, file, line, mapping.messages());
    }
    String prompt = text(node, mapping.prompt(), file, line);
    String completion = text(node, mapping.completion(), file, line);
    fields.remove(mapping.prompt());
    fields.remove(mapping.completion());
    return promptCompletion(prompt, completion, fields, file, line, mapping);
  }

  private static Example promptCompletion(
      String prompt,
      String completion,
      Map<String, String> fields,
      Path file,
      long line,
      FieldMapping mapping)
      throws DatasetFormatException {
    if (completion.isBlank()) {
      throw new DatasetFormatException(
          file, line, mapping.completion(), "the completion is empty; expected the answer to train");
    }
    return new PromptCompletion(prompt, completion, fields, file.getFileName() + ":" + line);
  }

  private static Example conversation(
      JsonNode turns, Map<String, String> fields, Path file, long line, String field)
      throws DatasetFormatException {
    if (!turns.isArray()) {
      throw new DatasetFormatException(
          file, line, field, "expected a list of {role, content}, found " + turns.getNodeType());
    }
    List<ChatMessage> messages = new ArrayList<>();
    boolean answered = false;
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
      if (role.equals("assistant")) {
        if (content.isBlank()) {
          throw new DatasetFormatException(
              file, line, where + ".content", "the assistant turn is empty; expected the answer to train");
        }
        answered = true;
      }
      messages.add(new ChatMessage(role, content));
    }
    if (!answered) {
      throw new DatasetFormatException(
          file, line, field, "no assistant turn; expected at least one answer to train");
    }
    return new Conversation(messages, fields, file.getFileName() + ":" + line);
  }

  private static String text(JsonNode node, String key, Path file, long line)
      throws DatasetFormatException {
    return text(node, key, file, line, key);
  }

  private static String text(JsonNode node, String key, Path file, long line, String field)
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
