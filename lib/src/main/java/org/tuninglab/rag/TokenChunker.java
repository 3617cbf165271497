package org.tuninglab.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts documents into windows of {@code chunkSize} tokens, each starting {@code chunkSize -
 * overlap} tokens after the one before, so a fact near a boundary appears whole in one window.
 * The last window ends at the document's end (it may be shorter). Chunk ids are the document id,
 * {@code #}, and the window's number from 0.
 */
public final class TokenChunker implements Chunker {
  private final TokenCounter counter;
  private final int chunkSize;
  private final int overlap;

  private TokenChunker(Builder b) {
    this.counter = b.counter;
    this.chunkSize = b.chunkSize;
    this.overlap = b.overlap;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<Chunk> chunk(Document document) {
    List<Chunk> chunks = new ArrayList<>();
    List<int[]> windows = windows(document.text(), 0);
    for (int i = 0; i < windows.size(); i++) {
      int[] w = windows.get(i);
      chunks.add(new Chunk(document.id() + "#" + i, document.id(), document.title(), List.of(),
          document.text().substring(w[0], w[1]), w[0], w[1], document.metadata()));
    }
    return chunks;
  }

  /**
   * The character ranges of the windows over a text.
   *
   * @param text the text
   * @param offset added to every range (where the text starts in its document)
   * @return {@code [start, end)} pairs in order; none for a text without tokens
   */
  List<int[]> windows(String text, int offset) {
    TokenSpans spans = counter.spans(text);
    int n = spans.size();
    List<int[]> windows = new ArrayList<>();
    for (int first = 0; first < n; first += chunkSize - overlap) {
      int last = Math.min(first + chunkSize, n) - 1;
      windows.add(new int[] {offset + spans.start(first), offset + spans.end(last)});
      if (last == n - 1) {
        break;
      }
    }
    return windows;
  }

  /** Builds a {@link TokenChunker}. */
  public static final class Builder {
    private TokenCounter counter;
    private int chunkSize;
    private int overlap;

    private Builder() {}

    /** What counts as a token: a model's tokenizer or {@link WordCounter}. Required. */
    public Builder setCounter(TokenCounter counter) {
      this.counter = Objects.requireNonNull(counter, "counter");
      return this;
    }

    /** Tokens a chunk, at least 1. Required. */
    public Builder setChunkSize(int chunkSize) {
      this.chunkSize = chunkSize;
      return this;
    }

    /** Tokens each chunk shares with the one before, in {@code [0, chunkSize)} (default 0). */
    public Builder optOverlap(int overlap) {
      this.overlap = overlap;
      return this;
    }

    public TokenChunker build() {
      if (counter == null) {
        throw new IllegalStateException("setCounter is required");
      }
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize " + chunkSize + ": expected at least 1");
      }
      if (overlap < 0 || overlap >= chunkSize) {
        throw new IllegalArgumentException(
            "overlap " + overlap + ": expected 0 <= overlap < chunkSize (" + chunkSize + ")");
      }
      return new TokenChunker(this);
    }
  }
}
