package org.tuninglab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Packs documents into fixed-length training sequences, as pretraining does: the documents' tokens,
 * each document followed by a separator token, are cut into windows of {@code length} tokens that
 * overlap by one, so every token but the very first is a label exactly once and no position is
 * padding. Every token is trained.
 */
public final class PackedSequences {
  private PackedSequences() {}

  /**
   * Tokenizes and packs documents.
   *
   * @param tokenizer the tokenizer (no special tokens are added around documents)
   * @param documents the documents
   * @param separator the id that ends each document (for example {@code <|endoftext|>})
   * @param length tokens per sequence, at least 2; the last sequence may be shorter
   * @param origin a name for the sequences' origins (for example the file)
   * @return the sequences, in document order
   */
  public static EncodedDataset pack(
      TextTokenizer tokenizer, List<String> documents, int separator, int length, String origin) {
    if (length < 2) {
      throw new IllegalArgumentException("length must be at least 2, got " + length);
    }
    int[] stream = stream(tokenizer, documents, separator);
    List<EncodedExample> sequences = new ArrayList<>();
    for (int from = 0; from + 1 < stream.length; from += length - 1) {
      int[] ids = Arrays.copyOfRange(stream, from, Math.min(stream.length, from + length));
      boolean[] trained = new boolean[ids.length];
      Arrays.fill(trained, true);
      sequences.add(new EncodedExample(ids, trained, 0, origin + "#" + sequences.size()));
    }
    return new EncodedDataset(sequences, new TruncationReport(0, 0, List.of()));
  }

  /** The documents' tokens in one stream, a separator after each. */
  public static int[] stream(TextTokenizer tokenizer, List<String> documents, int separator) {
    int[][] encoded = new int[documents.size()][];
    int total = 0;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = tokenizer.encode(documents.get(i), false);
      total += encoded[i].length + 1;
    }
    int[] stream = new int[total];
    int at = 0;
    for (int[] doc : encoded) {
      System.arraycopy(doc, 0, stream, at, doc.length);
      at += doc.length;
      stream[at++] = separator;
    }
    return stream;
  }
}
