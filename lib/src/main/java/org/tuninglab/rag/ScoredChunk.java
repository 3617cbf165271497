package org.tuninglab.rag;

import java.util.Objects;

/**
 * A retrieved chunk with its retriever's score (higher is better; the scale depends on the
 * retriever: BM25 points, cosine similarity, or a fused reciprocal-rank sum).
 *
 * @param chunk the chunk
 * @param score the score
 */
public record ScoredChunk(Chunk chunk, double score) {
  public ScoredChunk {
    Objects.requireNonNull(chunk, "chunk");
  }
}
