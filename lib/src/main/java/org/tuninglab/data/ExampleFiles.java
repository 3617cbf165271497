package org.tuninglab.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Loads examples from {@code .csv} (with a header row), {@code .json} (an array of objects) and
 * {@code .jsonl} (one object a line), validating every record: a missing field, a wrong type, an
 * empty completion or an unknown role fails with the file, the line and the field.
 */
public final class ExampleFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

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
    return DataRecords.load(
        file,
        (node, line) -> fromJson(node, file, line, mapping),
        (row, line) -> fromCsv(row, file, line, mapping));
  }

  /**
   * Writes prompt/completion examples as JSON lines that {@link #load} reads back with the same
   * mapping: the prompt and the completion under the mapping's names, then the other fields.
   * The file is replaced atomically.
   *
   * @param file the {@code .jsonl} file
   * @param examples the examples, in the file's order
   * @param mapping which fields hold the prompt and the completion
   * @return the file
   * @throws IOException if the file cannot be written
   */
  public static Path write(Path file, List<PromptCompletion> examples, FieldMapping mapping)
      throws IOException {
    StringBuilder lines = new StringBuilder();
    for (PromptCompletion pc : examples) {
      ObjectNode line = JSON.createObjectNode();
      line.put(mapping.prompt(), pc.prompt());
      line.put(mapping.completion(), pc.completion());
      pc.fields().forEach(line::put);
      lines.append(JSON.writeValueAsString(line)).append('\n');
    }
    AtomicFiles.writeString(file, lines.toString());
    return file;
  }

  private static Example fromCsv(
      Map<String, String> row, Path file, long line, FieldMapping mapping)
      throws DatasetFormatException {
    String prompt = DataRecords.column(row, mapping.prompt(), file, line);
    String completion = DataRecords.column(row, mapping.completion(), file, line);
    Map<String, String> fields = new LinkedHashMap<>(row);
    fields.remove(mapping.prompt());
    fields.remove(mapping.completion());
    return promptCompletion(prompt, completion, fields, file, line, mapping);
  }

  private static Example fromJson(JsonNode node, Path file, long line, FieldMapping mapping)
      throws DatasetFormatException {
    Map<String, String> fields = DataRecords.scalarFields(node);
    if (node.has(mapping.messages())) {
      return conversation(node.get(mapping.messages()), fields, file, line, mapping.messages());
    }
    String prompt = DataRecords.text(node, mapping.prompt(), file, line, mapping.prompt());
    String completion =
        DataRecords.text(node, mapping.completion(), file, line, mapping.completion());
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
    List<ChatMessage> messages = DataRecords.messages(turns, file, line, field);
    int empty = Conversation.firstEmptyAnswer(messages);
    if (empty >= 0) {
      throw new DatasetFormatException(
          file, line, field + "[" + empty + "].content", Conversation.EMPTY_ANSWER);
    }
    if (messages.stream().noneMatch(m -> m.role().equals("assistant"))) {
      throw new DatasetFormatException(
          file, line, field, "no assistant turn; expected at least one answer to train");
    }
    return new Conversation(messages, fields, file.getFileName() + ":" + line);
  }
}
