package org.tuninglab.rag;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tuninglab.io.JsonLines;

/**
 * A question with its answer and the chunks or documents that hold it, for measuring retrieval.
 *
 * @param id a unique id
 * @param question the question
 * @param answer the answer, as the sources state it
 * @param relevant ids of the chunks or documents holding the answer (a document id matches every
 *     chunk of it; a chunk id also matches the pieces {@code id~n} it was cut into)
 */
public record LabelledQuestion(String id, String question, String answer, List<String> relevant) {

  public LabelledQuestion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(answer, "answer");
    relevant = List.copyOf(relevant);
    if (relevant.isEmpty()) {
      throw new IllegalArgumentException("question " + id + " names no relevant chunk");
    }
  }

  /** The label a chunk satisfies, or null if it is not relevant. */
  String matchedLabel(Chunk chunk) {
    for (String label : relevant) {
      if (chunk.id().equals(label) || chunk.documentId().equals(label)
          || chunk.id().startsWith(label + "~")) {
        return label;
      }
    }
    return null;
  }

  /**
   * Reads labelled questions from JSONL: one object a line with {@code id}, {@code question},
   * {@code answer} (strings) and {@code relevant} (an array of ids).
   *
   * @param file the file
   * @return the questions in file order
   * @throws DocumentFormatException naming the line and field of a bad record
   * @throws IOException if the file cannot be read
   */
  public static List<LabelledQuestion> load(Path file) throws IOException {
    List<LabelledQuestion> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    JsonLines.forEach(
        file,
        (line, detail) -> new DocumentFormatException(file, line, null, detail),
        (node, line) -> out.add(question(node, file, line, ids)));
    if (out.isEmpty()) {
      throw new DocumentFormatException(file, 0, null,
          "no questions; expected one JSON object a line");
    }
    return out;
  }

  /** One line's question; ids seen so far catch a repeated id. */
  private static LabelledQuestion question(JsonNode node, Path file, long line, Set<String> ids)
      throws DocumentFormatException {
    if (!node.isObject()) {
      throw new DocumentFormatException(file, line, null,
          "expected a JSON object, found " + node.getNodeType());
    }
    String id = string(node, "id", file, line);
    if (!ids.add(id)) {
      throw new DocumentFormatException(file, line, "id", "\"" + id + "\" appears twice");
    }
    JsonNode rel = node.get("relevant");
    if (rel == null || !rel.isArray() || rel.isEmpty()) {
      throw new DocumentFormatException(file, line, "relevant",
          "expected a non-empty array of chunk or document ids");
    }
    List<String> relevant = new ArrayList<>();
    for (JsonNode r : rel) {
      if (!r.isTextual()) {
        throw new DocumentFormatException(file, line, "relevant",
            "expected strings, found " + r.getNodeType());
      }
      relevant.add(r.asText());
    }
    return new LabelledQuestion(id, string(node, "question", file, line),
        string(node, "answer", file, line), relevant);
  }

  private static String string(JsonNode node, String field, Path file, long line)
      throws DocumentFormatException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new DocumentFormatException(file, line, field, "expected a non-empty string");
    }
    return v.asText();
  }
}
