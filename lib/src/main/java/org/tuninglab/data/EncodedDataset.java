package org.tuninglab.data;

import java.util.List;

/**
 * A data set after tokenization and truncation.
 *
 * @param examples the examples that still have trained tokens
 * @param truncation what truncation cut
 */
public record EncodedDataset(List<EncodedExample> examples, TruncationReport truncation) {

  /** Copies the list. */
  public EncodedDataset {
    examples = List.copyOf(examples);
  }

  /**
   * Returns the number of examples.
   *
   * @return the size
   */
  public int size() {
    return examples.size();
  }
}
