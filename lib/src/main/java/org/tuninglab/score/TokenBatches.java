package org.tuninglab.score;

import ai.djl.ndarray.NDManager;

/** A data set's batches, collated on demand so each lives only in its own scope. */
public interface TokenBatches {

  /** The number of batches. */
  int count();

  /**
   * Collates one batch.
   *
   * @param index from 0 to {@code count() - 1}
   * @param scope the manager its arrays belong to
   * @return the batch
   */
  TokenBatch batch(int index, NDManager scope);
}
