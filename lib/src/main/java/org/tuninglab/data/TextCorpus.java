package org.tuninglab.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Plain-text documents for pretraining: UTF-8, one document a paragraph, a blank line between. */
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
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException(file, 1, "(file)", "expected UTF-8 text: " + e.getMessage());
    }
    List<String> documents = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\r?\n", -1)) {
      if (line.isBlank()) {
        flush(current, documents);
      } else {
        current.append(current.length() == 0 ? "" : "\n").append(line);
      }
    }
    flush(current, documents);
    if (documents.isEmpty()) {
      throw new DatasetFormatException(
          file, 1, "(file)", "no documents: expected text, documents separated by a blank line");
    }
    return documents;
  }

  private static void flush(StringBuilder current, List<String> documents) {
    if (current.length() > 0) {
      documents.add(current.toString());
      current.setLength(0);
    }
  }
}
