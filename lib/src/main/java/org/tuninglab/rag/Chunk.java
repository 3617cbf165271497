package org.tuninglab.rag;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A piece of a document that retrieval returns.
 *
 * @param id a stable id: the document id, {@code #}, and the heading slug path or the chunk number
 * @param documentId the document it came from
 * @param title the document's title
 * @param headingPath the markdown headings above the piece, outermost first (empty if none)
 * @param text the piece's text
 * @param start the character offset in the document's text where the piece starts
 * @param end the character offset where it ends (exclusive)
 * @param metadata the document's metadata
 */
public record Chunk(
    String id,
    String documentId,
    String title,
    List<String> headingPath,
    String text,
    int start,
    int end,
    Map<String, String> metadata) {

  public Chunk {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
    headingPath = List.copyOf(headingPath);
    metadata = Map.copyOf(metadata);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad offsets [" + start + ", " + end + ") for " + id);
    }
  }

  /** The title and heading path joined with " > ", as a grounded prompt labels a source. */
  public String label() {
    StringBuilder sb = new StringBuilder(title);
    for (String heading : headingPath) {
      if (!heading.equals(title)) {
        sb.append(" > ").append(heading);
      }
    }
    return sb.toString();
  }
}
