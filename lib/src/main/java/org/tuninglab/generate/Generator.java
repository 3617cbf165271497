package org.tuninglab.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Decodes continuations of a batch of prompts. Prompts of different lengths are left-padded, so
 * every sequence's next token sits in the last column; finished sequences keep stepping (their
 * output is ignored) until all are done.
 */
public final class Generator {
  private final LlamaModel model;
  private final TextTokenizer tokenizer;
  private final NDArray virtualTokens; // (n, D) or null

  public Generator(LlamaModel model, TextTokenizer tokenizer) {
    this(model, tokenizer, null);
  }

  /**
   * A generator that puts {@code virtualTokens} in front of every prompt, as a prompt-tuning
   * adapter does: they are attended to but are not tokens of the prompt or of the output.
   *
   * @param virtualTokens {@code (n, D)} embeddings in the model's dtype, or null for none
   */
  public Generator(LlamaModel model, TextTokenizer tokenizer, NDArray virtualTokens) {
    this.model = model;
    this.tokenizer = java.util.Objects.requireNonNull(tokenizer, "tokenizer");
    if (virtualTokens != null
        && (virtualTokens.getShape().dimension() != 2
            || virtualTokens.getShape().get(1) != model.config().hiddenSize())) {
      throw new IllegalArgumentException(
          "virtual tokens must be (n, " + model.config().hiddenSize() + "), got "
              + virtualTokens.getShape());
    }
    this.virtualTokens = virtualTokens;
  }

  private Generator(LlamaModel model) {
    this.model = model;
    this.tokenizer = null;
    this.virtualTokens = null;
  }

  /**
   * A generator that produces ids only: no text, no stop strings, and no end ids but the
   * configured stop ids. For benchmarks and id-level experiments.
   */
  public static Generator tokensOnly(LlamaModel model) {
    return new Generator(model);
  }

  /** Continues one prompt. */
  public Generation generate(int[] prompt, GenerationConfig config) {
    return generate(List.of(prompt), config, TokenListener.NONE).get(0);
  }

  /** Continues each prompt; {@code listener} sees text as it is produced. */
  public List<Generation> generate(
      List<int[]> prompts, GenerationConfig config, TokenListener listener) {
    int batch = prompts.size();
    if (batch == 0) {
      return List.of();
    }
    int promptLength = 0;
    for (int i = 0; i < batch; i++) {
      if (prompts.get(i).length == 0) {
        throw new IllegalArgumentException(
            "prompt " + i + " is empty: start it with at least one token (e.g. BOS)");
      }
      promptLength = Math.max(promptLength, prompts.get(i).length);
    }
    if (tokenizer == null && !config.stopStrings().isEmpty()) {
      throw new IllegalArgumentException("stop strings need a tokenizer to decode text");
    }
    Set<Integer> stopIds = new HashSet<>(tokenizer == null ? Set.of() : tokenizer.specialTokens().eos());
    stopIds.addAll(config.stopTokenIds());
    List<Sequence> sequences = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      sequences.add(new Sequence(i, prompts.get(i), config.stopStrings(), tokenizer, listener));
    }
    TokenSampler sampler = new TokenSampler(config);
    int vocab = model.config().vocabSize();
    int total = promptLength + config.maxNewTokens();
    long[] ids = new long[batch * total];
    long[] mask = new long[batch * total];
    for (int b = 0; b < batch; b++) {
      int[] p = prompts.get(b);
      int pad = promptLength - p.length;
      for (int j = 0; j < p.length; j++) {
        ids[b * total + pad + j] = p[j];
        mask[b * total + pad + j] = 1;
      }
    }
    try (KvCache cache = config.useCache() ? model.newCache() : null) {
      int length = promptLength;
      int fed = 0; // positions already in the cache
      for (int step = 0; step < config.maxNewTokens(); step++) {
        float[] last;
        try (NDManager scope = model.manager().newSubManager()) {
          int from = cache == null ? 0 : fed;
          NDArray input = scope.create(columns(ids, batch, total, from, length), new Shape(batch, length - from));
          NDArray attention = scope.create(columns(mask, batch, total, 0, length), new Shape(batch, length));
          NDArray logits = forward(scope, input, attention, cache, from == 0); // (B, t, V)
          last = logits.get(":, -1, :").toFloatArray(); // (B * V)
          fed = length;
        }
        boolean allDone = true;
        for (Sequence s : sequences) {
          int token = sampler.next(last, s.index * vocab, vocab);
          if (!s.done()) {
            s.accept(token, stopIds.contains(token));
          }
          ids[s.index * total + length] = token;
          mask[s.index * total + length] = 1;
          allDone &= s.done();
        }
        length++;
        if (allDone) {
          break;
        }
      }
    }
    List<Generation> results = new ArrayList<>();
    for (Sequence s : sequences) {
      results.add(s.finish());
    }
    return results;
  }

  /**
   * Logits for this step's inputs; with virtual tokens they lead the first step's inputs (the
   * cache keeps them after that) and the mask always covers them.
   */
  private NDArray forward(
      NDManager scope, NDArray input, NDArray attention, KvCache cache, boolean firstStep) {
    if (virtualTokens == null) {
      return model.forward(input, attention, cache);
    }
    long batch = input.getShape().get(0);
    long n = virtualTokens.getShape().get(0);
    NDArray embeds = model.embed(input); // (B, t, D)
    boolean withPrefix = cache == null || firstStep;
    if (withPrefix) {
      NDArray prefix =
          scope.zeros(new Shape(batch, n, embeds.getShape().get(2)), embeds.getDataType())
              .add(virtualTokens); // (B, n, D)
      embeds = NDArrays.concat(new NDList(prefix, embeds), 1); // (B, n + t, D)
    }
    NDArray ones = scope.ones(new Shape(batch, n), attention.getDataType()); // (B, n)
    NDArray mask = NDArrays.concat(new NDList(ones, attention), 1); // (B, n + length)
    NDArray logits = model.forwardEmbeddings(embeds, mask, cache); // (B, [n +] t, V)
    return withPrefix ? logits.get(":, " + n + ":") : logits;
  }

  /** Columns {@code [from, to)} of a (rows, width) row-major array. */
  private static long[] columns(long[] data, int rows, int width, int from, int to) {
    long[] out = new long[rows * (to - from)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * width + from, out, r * (to - from), to - from);
    }
    return out;
  }
}
