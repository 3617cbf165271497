package org.tuninglab.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Loads preference examples from {@code .csv}, {@code .json} and {@code .jsonl}, validating every
 * record: a missing field, a wrong type, an empty answer, a chosen answer identical to the rejected
 * one, and (given a collator) a prompt longer than its length budget fail with the file, the line
 * and the field.
 */
public final class PreferenceFiles {

  private PreferenceFiles() {}

  /**
   * Loads a data file, choosing the format by extension.
   *
   * @param file the file
   * @param mapping which fields hold the prompt and the two answers
   * @return the pairs in file order
   * @throws DatasetFormatException if a record is invalid
   * @throws IOException if the file cannot be read or parsed
   */
  public static List<PreferencePair> load(Path file, PreferenceMapping mapping)
      throws IOException {
    return DataRecords.load(
        file,
        (node, line) -> fromJson(node, file, line, mapping),
        (row, line) -> fromCsv(row, file, line, mapping));
  }

  /**
   * Loads a data file and checks that every prompt fits the collator's prompt budget.
   *
   * @param file the file
   * @param mapping which fields hold the prompt and the two answers
   * @param collator the collator the pairs are for
   * @return the pairs in file order
   * @throws DatasetFormatException if a record is invalid or its prompt too long
   * @throws IOException if the file cannot be read or parsed
   */
  public static List<PreferencePair> load(
      Path file, PreferenceMapping mapping, PreferenceCollator collator) throws IOException {
    return DataRecords.load(
        file,
        (node, line) -> withinBudget(fromJson(node, file, line, mapping), collator, file, line, mapping),
        (row, line) -> withinBudget(fromCsv(row, file, line, mapping), collator, file, line, mapping));
  }

  private static PreferencePair withinBudget(
      PreferencePair pair, PreferenceCollator collator, Path file, long line, PreferenceMapping mapping)
      throws DatasetFormatException {
    int tokens = collator.promptLength(pair);
    if (tokens > collator.maxPromptLength()) {
      throw new DatasetFormatException(
          file,
          line,
          mapping.prompt(),
          "the prompt takes "
              + tokens
              + " tokens with the chat template; the budget is "
              + collator.maxPromptLength()
              + " (max prompt length), so the answers would be scored without their question");
    }
    return pair;
  }

  private static PreferencePair fromCsv(
      Map<String, String> row, Path file, long line, PreferenceMapping mapping)
      throws DatasetFormatException {
    String prompt = DataRecords.column(row, mapping.prompt(), file, line);
    String chosen = DataRecords.column(row, mapping.chosen(), file, line);
    String rejected = DataRecords.column(row, mapping.rejected(), file, line);
    Map<String, String> fields = new LinkedHashMap<>(row);
    List.of(mapping.prompt(), mapping.chosen(), mapping.rejected()).forEach(fields::remove);
    return pair(List.of(ChatMessage.user(prompt)), chosen, rejected, fields, file, line, mapping);
  }

  private static PreferencePair fromJson(
      JsonNode node, Path file, long line, PreferenceMapping mapping)
      throws DatasetFormatException {
    Map<String, String> fields = DataRecords.scalarFields(node);
    List.of(mapping.prompt(), mapping.chosen(), mapping.rejected()).forEach(fields::remove);
    JsonNode promptNode = node.get(mapping.prompt());
    List<ChatMessage> prompt =
        promptNode != null && promptNode.isArray()
            ? DataRecords.messages(promptNode, file, line, mapping.prompt())
            : List.of(ChatMessage.user(DataRecords.text(node, mapping.prompt(), file, line, mapping.prompt())));
    if (prompt.isEmpty()) {
      throw new DatasetFormatException(
          file, line, mapping.prompt(), "the prompt has no turn; expected at least one message");
    }
    String chosen = answer(node, mapping.chosen(), file, line);
    String rejected = answer(node, mapping.rejected(), file, line);
    return pair(prompt, chosen, rejected, fields, file, line, mapping);
  }

  /** An answer: text, or a list holding one assistant turn. */
  private static String answer(JsonNode node, String field, Path file, long line)
      throws DatasetFormatException {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      return DataRecords.text(node, field, file, line, field);
    }
    List<ChatMessage> turns = DataRecords.messages(value, file, line, field);
    if (turns.size() != 1 || !turns.get(0).role().equals("assistant")) {
      throw new DatasetFormatException(
          file,
          line,
          field,
          "expected text or a list of one assistant turn, found "
              + turns.size()
              + " turn(s) with roles "
              + turns.stream().map(ChatMessage::role).toList());
    }
    return turns.get(0).content();
  }

  private static PreferencePair pair(
      List<ChatMessage> prompt,
      String chosen,
      String rejected,
      Map<String, String> fields,
      Path file,
      long line,
      PreferenceMapping mapping)
      throws DatasetFormatException {
    if (chosen.isBlank()) {
      throw new DatasetFormatException(
          file, line, mapping.chosen(), "the chosen answer is empty; expected the preferred answer");
    }
    if (rejected.isBlank()) {
      throw new DatasetFormatException(
          file, line, mapping.rejected(), "the rejected answer is empty; expected the dispreferred answer");
    }
    if (chosen.equals(rejected)) {
      throw new DatasetFormatException(
          file,
          line,
          mapping.rejected(),
          "identical to the chosen answer; a pair must differ, or it teaches nothing");
    }
    return new PreferencePair(prompt, chosen, rejected, fields, file.getFileName() + ":" + line);
  }
}
