package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceBatch;
import org.tuninglab.data.PreferenceCollator;

/**
 * The reference model's answer log-probabilities, computed once over a data set and looked up by
 * pair afterwards: each training step then skips the reference's forward pass, and a full
 * fine-tune's frozen copy can be closed once these exist. The values do not change during training
 * (the reference is frozen), so caching them gives the same losses up to float rounding of batch
 * composition.
 */
public final class ReferenceLogProbs {
  private final Map<Key, float[]> values; // chosen logp, rejected logp, chosen tokens, rejected tokens
  private final double seconds;

  private ReferenceLogProbs(Map<Key, float[]> values, double seconds) {
    this.values = values;
    this.seconds = seconds;
  }

  /**
   * Scores every pair under the reference, {@code batchSize} pairs a forward pass.
   *
   * @param reference the reference model
   * @param collator the collator that encoded the pairs (for padding)
   * @param pairs the data set's pairs
   * @param batchSize pairs a pass
   * @param manager the manager under which each pass runs in a sub-manager (the model's)
   * @return the cached values
   */
  public static ReferenceLogProbs compute(
      ReferenceModel reference,
      PreferenceCollator collator,
      List<EncodedPair> pairs,
      int batchSize,
      NDManager manager) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    long start = System.nanoTime();
    Map<Key, float[]> values = new HashMap<>();
    for (int from = 0; from < pairs.size(); from += batchSize) {
      List<EncodedPair> chunk = pairs.subList(from, Math.min(pairs.size(), from + batchSize));
      try (NDManager step = manager.newSubManager()) {
        PreferenceBatch batch = collator.collate(chunk, step);
        SequenceScores scores = reference.score(batch);
        float[] logps = scores.logps().toFloatArray();
        float[] tokens = scores.tokens().toFloatArray();
        int b = chunk.size();
        for (int i = 0; i < b; i++) {
          values.put(
              new Key(chunk.get(i)), new float[] {logps[i], logps[b + i], tokens[i], tokens[b + i]});
        }
      }
    }
    return new ReferenceLogProbs(values, (System.nanoTime() - start) / 1e9);
  }

  /**
   * The cached values of a batch's pairs, in the manager of its arrays.
   *
   * @param batch the batch
   * @return the reference's four arrays for its pairs
   * @throws IllegalArgumentException if a pair was not in the data set scored
   */
  public PairLogps lookup(PreferenceBatch batch) {
    return lookup(batch.pairs(), batch.rows().inputIds().getManager());
  }

  /**
   * The cached values of some pairs.
   *
   * @param pairs the pairs, in row order
   * @param manager the manager of the step's arrays
   * @return the reference's four arrays for the pairs
   * @throws IllegalArgumentException if a pair was not in the data set scored
   */
  public PairLogps lookup(List<EncodedPair> pairs, NDManager manager) {
    int b = pairs.size();
    float[][] columns = new float[4][b];
    for (int i = 0; i < b; i++) {
      float[] v = values.get(new Key(pairs.get(i)));
      if (v == null) {
        throw new IllegalArgumentException(
            pairs.get(i).origin() + ": no precomputed reference log-probabilities for this pair;"
                + " compute them over the data set it comes from");
      }
      for (int c = 0; c < 4; c++) {
        columns[c][i] = v[c];
      }
    }
    return new PairLogps(
        owned(manager, columns[0]),
        owned(manager, columns[1]),
        owned(manager, columns[2]),
        owned(manager, columns[3]));
  }

  /** How many distinct pairs are cached. */
  public int size() {
    return values.size();
  }

  /** Wall seconds the computation took: the cost a training run pays once instead of per step. */
  public double seconds() {
    return seconds;
  }

  /** {@code (B)} float32 in libtorch's own memory: autograd may keep it past this call. */
  private static NDArray owned(NDManager manager, float[] data) {
    try (NDArray javaBacked = manager.create(data)) {
      NDArray owned = javaBacked.duplicate();
      owned.attach(manager);
      return owned;
    }
  }

  /** A pair compared by its tokens, so the same pair finds its values in any batch. */
  private record Key(EncodedPair pair) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && pair.sameTokens(k.pair);
    }

    @Override
    public int hashCode() {
      return pair.tokensHash();
    }
  }
}
