package org.tuninglab.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE tokenizer (the GPT-2 / Qwen family's kind) on a corpus.
 *
 * <p>Text is split into words with GPT-2's pattern (a word keeps its leading space), each word
 * becomes its UTF-8 bytes, and the most frequent adjacent pair of symbols across the corpus is
 * merged into a new symbol, again and again until the vocabulary is full. Ties go to the pair whose
 * text sorts first, so the same corpus always gives the same merges. Every byte is in the base
 * vocabulary, so any text at all encodes and decodes back unchanged.
 */
public final class BpeTrainer {
  /** GPT-2's pre-tokenization pattern, as Hugging Face's {@code ByteLevel(use_regex=true)}. */
  static final Pattern WORDS =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

  private final int vocabSize;
  private final List<String> specialTokens;
  private final int minFrequency;

  private BpeTrainer(Builder b) {
    this.specialTokens = List.copyOf(b.specialTokens);
    this.minFrequency = b.minFrequency;
    int least = 256 + specialTokens.size();
    if (b.vocabSize < least) {
      throw new IllegalArgumentException(
          "setVocabSize must be at least "
              + least
              + " (256 bytes and the special tokens), got "
              + b.vocabSize);
    }
    this.vocabSize = b.vocabSize;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Learns merges from the texts.
   *
   * @param texts the corpus, for example one document each
   * @return the tokenizer: 256 byte symbols, the merges, then the special tokens; fewer merges than
   *     the vocabulary allows when no pair occurs {@code minFrequency} times any more
   */
  public ByteLevelBpe train(Iterable<String> texts) {
    // Distinct words with their counts; a TreeMap keeps the iteration order fixed.
    Map<String, Integer> counts = new TreeMap<>();
    for (String text : texts) {
      // A special token is matched whole before the byte-level pieces: no merge should spell it.
      for (String special : specialTokens) {
        text = text.replace(special, "\n");
      }
      Matcher m = WORDS.matcher(text);
      while (m.find()) {
        counts.merge(
            ByteLevelAlphabet.encode(m.group().getBytes(StandardCharsets.UTF_8)), 1, Integer::sum);
      }
    }
    List<List<String>> words = new ArrayList<>();
    int[] frequency = new int[counts.size()];
    int w = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      List<String> symbols = new ArrayList<>();
      e.getKey().codePoints().forEach(c -> symbols.add(Character.toString(c)));
      words.add(symbols);
      frequency[w++] = e.getValue();
    }

    List<String> merges = new ArrayList<>();
    // Two merges can spell the same symbol ("a bc", "ab c"): count symbols, not merges.
    Set<String> symbolsKnown = new HashSet<>();
    for (int b = 0; b < 256; b++) {
      symbolsKnown.add(String.valueOf(ByteLevelAlphabet.of(b)));
    }
    while (symbolsKnown.size() < vocabSize - specialTokens.size()) {
      Map<Pair, Integer> pairs = new HashMap<>();
      for (int i = 0; i < words.size(); i++) {
        List<String> symbols = words.get(i);
        for (int j = 0; j + 1 < symbols.size(); j++) {
          pairs.merge(new Pair(symbols.get(j), symbols.get(j + 1)), frequency[i], Integer::sum);
        }
      }
      Pair best = null;
      int bestCount = 0;
      for (Map.Entry<Pair, Integer> e : pairs.entrySet()) {
        int c = e.getValue();
        if (c > bestCount || (c == bestCount && e.getKey().compareTo(best) < 0)) {
          best = e.getKey();
          bestCount = c;
        }
      }
      if (best == null || bestCount < minFrequency) {
        break;
      }
      merges.add(best.left() + " " + best.right());
      String joined = best.left() + best.right();
      symbolsKnown.add(joined);
      for (List<String> symbols : words) {
        for (int j = 0; j + 1 < symbols.size(); j++) {
          if (symbols.get(j).equals(best.left()) && symbols.get(j + 1).equals(best.right())) {
            symbols.set(j, joined);
            symbols.remove(j + 1);
          }
        }
      }
    }
    return new ByteLevelBpe(merges, specialTokens);
  }

  /** Two adjacent symbols, ordered by their text. */
  private record Pair(String left, String right) implements Comparable<Pair> {
    @Override
    public int compareTo(Pair o) {
      int c = left.compareTo(o.left);
      return c != 0 ? c : right.compareTo(o.right);
    }
  }

  /** Builds a {@link BpeTrainer}: the vocabulary size is required. */
  public static final class Builder {
    private int vocabSize = -1;
    private List<String> specialTokens = ByteLevelBpe.CHATML_SPECIAL_TOKENS;
    private int minFrequency = 2;

    private Builder() {}

    /** The vocabulary size to reach: 256 bytes, the merges, and the special tokens. */
    public Builder setVocabSize(int value) {
      vocabSize = value;
      return this;
    }

    /**
     * The special tokens, given the last ids in this order; ChatML's by default ({@code
     * <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}).
     */
    public Builder optSpecialTokens(List<String> value) {
      specialTokens = Objects.requireNonNull(value);
      return this;
    }

    /** A pair must occur this often to be merged (2 by default). */
    public Builder optMinFrequency(int value) {
      minFrequency = Math.max(1, value);
      return this;
    }

    public BpeTrainer build() {
      return new BpeTrainer(this);
    }
  }
}
