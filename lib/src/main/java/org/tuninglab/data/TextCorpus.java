package org.tuninglab.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text documents for pretraining: UTF-8, one document a paragraph, a blank line between; or,
 * for documents that hold blank lines themselves (rendered chats), each document ended by a
 * separator line.
 */
public final class TextCorpus {
  private TextCorpus() {}

  /**
   * Reads the documents of a corpus file.
   *
   * @param file the file
   * @return the documents in file order, each without its surrounding blank lines
   * @throws DatasetFormatException if the file is not UTF-8 or holds no text
   * @throws IOException if it cannot be read
   */
  public static List<String> documents(Path file) throws IOException {
    return documents(file, null);
  }

  /**
   * Reads the documents of a corpus file whose documents end with a separator line.
   *
   * @param file the file
   * @param separator the line that ends a document (for example {@code <|endoftext|>}), or null
   *     for a blank line
   * @return the documents in file order, blank lines inside a document kept
   * @throws DatasetFormatException if the file is not UTF-8 or holds no text
   * @throws IOException if it cannot be read
   */
  public static List<String> documents(Path file, String separator) throws IOException {
    return numberedDocuments(file, separator).stream().map(Document::text).toList();
  }

  /**
   * A document and the line of the file it starts on, for messages about its content.
   *
   * @param text the document
   * @param line its first line (1-based)
   */
  public record Document(String text, long line) {}

  /**
   * Reads the documents of a corpus file as {@link #documents(Path, String)} does, each with the
   * line it starts on.
   *
   * @param file the file
   * @param separator the line that ends a document, or null for a blank line
   * @return the documents in file order
   * @throws DatasetFormatException if the file is not UTF-8 or holds no text
   * @throws IOException if it cannot be read
   */
  public static List<Document> numberedDocuments(Path file, String separator) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException(file, 1, "(file)", "expected UTF-8 text: " + e.getMessage());
    }
    List<Document> documents = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    long lineNumber = 0;
    long first = 0;
    for (String line : text.split("\r?\n", -1)) {
      lineNumber++;
      if (separator == null ? line.isBlank() : line.equals(separator)) {
        flush(current, first, documents);
      } else if (separator != null || !line.isBlank()) {
        if (current.length() == 0) {
          first = lineNumber;
        }
        current.append(current.length() == 0 ? "" : "\n").append(line);
      }
    }
    flush(current, first, documents);
    if (documents.isEmpty()) {
      throw new DatasetFormatException(
          file, 1, "(file)", "no documents: expected text, documents separated by "
              + (separator == null ? "a blank line" : "a line '" + separator + "'"));
    }
    return documents;
  }

  private static void flush(StringBuilder current, long first, List<Document> documents) {
    if (current.length() > 0) {
      documents.add(new Document(current.toString(), first));
      current.setLength(0);
    }
  }
}
