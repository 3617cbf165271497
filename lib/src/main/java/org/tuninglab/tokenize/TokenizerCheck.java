package org.tuninglab.tokenize;

import java.nio.file.Path;

/** Checks that a tokenizer and a model belong together before any token reaches the model. */
public final class TokenizerCheck {

  private TokenizerCheck() {}

  /**
   * Requires every id the tokenizer can produce to have a row in the model's embedding table. A
   * model may have more rows than the tokenizer has tokens (Qwen pads its table); fewer would make
   * some token ids index past the table.
   *
   * @param tokenizer the tokenizer
   * @param modelVocabSize the model's vocabulary size (its embedding rows)
   * @param where the model file that gave {@code modelVocabSize}, for the message
   * @throws IllegalArgumentException if the tokenizer has more ids than the model
   */
  public static void requireFits(TextTokenizer tokenizer, int modelVocabSize, Path where) {
    int size = tokenizer.vocabSize();
    if (size > modelVocabSize) {
      throw new IllegalArgumentException(
          "the tokenizer has "
              + size
              + " token ids (0.."
              + (size - 1)
              + ") but the model in "
              + where
              + " has a vocabulary of "
              + modelVocabSize
              + ": ids from "
              + modelVocabSize
              + " up would index past its embedding table;"
              + " the tokenizer belongs to a different model");
    }
  }
}
