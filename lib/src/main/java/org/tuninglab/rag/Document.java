package org.tuninglab.rag;

import java.util.Map;
import java.util.Objects;

/**
 * One loaded document: a markdown or text file, or one record of a CSV, JSON or JSONL file.
 *
 * @param id a stable id: the file's path relative to the loaded folder (with {@code #id} or
 *     {@code #line-N} appended for a record of a table or JSON file)
 * @param title the first markdown heading, a title field, or the file name
 * @param text the text to retrieve from
 * @param source where it came from ({@code path} or {@code path:line})
 * @param metadata the other columns or fields, and {@code format}
 */
public record Document(
    String id, String title, String text, String source, Map<String, String> metadata) {

  public Document {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    metadata = Map.copyOf(metadata);
  }

  /** Whether this document is markdown (its headings can split it). */
  public boolean isMarkdown() {
    return "markdown".equals(metadata.get("format"));
  }
}
