package org.tuninglab.generate;

import java.util.List;
import java.util.Set;

/**
 * How to decode.
 *
 * @param maxNewTokens upper bound on generated tokens per prompt
 * @param temperature 0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topK sample only among the k most likely tokens (0: no limit)
 * @param topP sample only among the most likely tokens whose probabilities sum to p (1: no limit)
 * @param seed seeds the sampler: the same seed and prompts give the same text
 * @param stopStrings generation ends before the first occurrence of any of these
 * @param stopTokenIds generation ends at any of these ids (added to the tokenizer's end ids)
 * @param useCache keep keys/values between steps (off only to measure what the cache saves)
 */
public record GenerationConfig(
    int maxNewTokens,
    double temperature,
    int topK,
    double topP,
    long seed,
    List<String> stopStrings,
    Set<Integer> stopTokenIds,
    boolean useCache) {

  public GenerationConfig {
    stopStrings = List.copyOf(stopStrings);
    stopTokenIds = Set.copyOf(stopTokenIds);
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
    }
    if (temperature < 0 || Double.isNaN(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0, got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (stopStrings.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("stop strings must not be empty");
    }
  }

  /** Greedy decoding of up to {@code maxNewTokens} tokens. */
  public static GenerationConfig greedy(int maxNewTokens) {
    return builder().optMaxNewTokens(maxNewTokens).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().optMaxNewTokens(maxNewTokens).optTemperature(temperature).optTopK(topK)
        .optTopP(topP).optSeed(seed).optStopStrings(stopStrings).optStopTokenIds(stopTokenIds)
        .optUseCache(useCache);
  }

  /** Builder with the defaults: 128 tokens, greedy, no limits, seed 0, cache on. */
  public static final class Builder {
    private int maxNewTokens = 128;
    private double temperature;
    private int topK;
    private double topP = 1.0;
    private long seed;
    private List<String> stopStrings = List.of();
    private Set<Integer> stopTokenIds = Set.of();
    private boolean useCache = true;

    public Builder optMaxNewTokens(int value) {
      maxNewTokens = value;
      return this;
    }

    public Builder optTemperature(double value) {
      temperature = value;
      return this;
    }

    public Builder optTopK(int value) {
      topK = value;
      return this;
    }

    public Builder optTopP(double value) {
      topP = value;
      return this;
    }

    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    public Builder optStopStrings(List<String> value) {
      stopStrings = value;
      return this;
    }

    public Builder optStopTokenIds(Set<Integer> value) {
      stopTokenIds = value;
      return this;
    }

    public Builder optUseCache(boolean value) {
      useCache = value;
      return this;
    }

    public GenerationConfig build() {
      return new GenerationConfig(
          maxNewTokens, temperature, topK, topP, seed, stopStrings, stopTokenIds, useCache);
    }
  }
}
