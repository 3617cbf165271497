package org.tuninglab.rag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion: each retriever returns its top {@code candidates}, and a chunk scores
 * {@code sum over retrievers of 1 / (k + rank)} with ranks from 1 (Cormack, Clarke and Buettcher,
 * 2009; k = 60). Only ranks count, so BM25 points and cosine similarities need no common scale.
 * Equal scores keep the order in which the chunks first appeared, retriever by retriever.
 */
public final class HybridRetriever implements Retriever {
  private final List<Retriever> retrievers;
  private final int rrfK;
  private final int candidates;

  private HybridRetriever(Builder b) {
    this.retrievers = List.copyOf(b.retrievers);
    this.rrfK = b.rrfK;
    this.candidates = b.candidates;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "hybrid";
  }

  @Override
  public List<ScoredChunk> retrieve(String query, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k " + k + ": expected at least 1");
    }
    Map<String, Chunk> chunks = new LinkedHashMap<>();
    Map<String, Double> scores = new LinkedHashMap<>();
    for (Retriever r : retrievers) {
      List<ScoredChunk> hits = r.retrieve(query, Math.max(k, candidates));
      for (int rank = 1; rank <= hits.size(); rank++) {
        Chunk c = hits.get(rank - 1).chunk();
        chunks.putIfAbsent(c.id(), c);
        scores.merge(c.id(), 1.0 / (rrfK + rank), Double::sum);
      }
    }
    List<ScoredChunk> fused = new ArrayList<>();
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      fused.add(new ScoredChunk(chunks.get(e.getKey()), e.getValue()));
    }
    fused.sort((a, b) -> Double.compare(b.score(), a.score())); // stable: ties keep first sight
    return List.copyOf(fused.subList(0, Math.min(k, fused.size())));
  }

  /** Builds a {@link HybridRetriever}. */
  public static final class Builder {
    private final List<Retriever> retrievers = new ArrayList<>();
    private int rrfK = 60;
    private int candidates = 50;

    private Builder() {}

    /** The retrievers to fuse, at least one. Required. */
    public Builder setRetrievers(List<? extends Retriever> retrievers) {
      this.retrievers.clear();
      this.retrievers.addAll(retrievers);
      return this;
    }

    /** RRF's constant k, which damps the weight of the top ranks (default 60). */
    public Builder optRrfK(int rrfK) {
      if (rrfK < 0) {
        throw new IllegalArgumentException("rrfK " + rrfK + ": expected 0 or more");
      }
      this.rrfK = rrfK;
      return this;
    }

    /** Chunks asked of each retriever, at least the query's k (default 50). */
    public Builder optCandidates(int candidates) {
      if (candidates < 1) {
        throw new IllegalArgumentException("candidates " + candidates + ": expected at least 1");
      }
      this.candidates = candidates;
      return this;
    }

    public HybridRetriever build() {
      if (retrievers.isEmpty()) {
        throw new IllegalStateException("setRetrievers is required, with at least one retriever");
      }
      return new HybridRetriever(this);
    }
  }
}
