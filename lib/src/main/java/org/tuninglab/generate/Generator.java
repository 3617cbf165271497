package org.tuninglab.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.NoGrad;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Decodes continuations of a batch of prompts. Prompts of different lengths are left-padded, so
 * every sequence's next token sits in the last column; finished sequences keep stepping (their
 * output is ignored) until all are done.
 */
public final class Generator {
  private final ForwardPass model;
  private final TextTokenizer tokenizer;

  /** Decodes a plain model. */
  public Generator(LlamaModel model, TextTokenizer tokenizer) {
    this(ForwardPass.of(model), tokenizer);
  }

  /**
   * Decodes any forward pass: a plain model, or a model adapted for a fine-tuning method exactly
   * as it trained (LoRA, QLoRA on its NF4 base, prompt tuning with its virtual tokens in front of
   * every prompt, attended to but not part of the prompt or the output).
   *
   * @param model the forward pass; it must accept a KV cache for {@code useCache} configs
   * @param tokenizer decodes text and names the end-of-sequence ids
   */
  public Generator(ForwardPass model, TextTokenizer tokenizer) {
    this.model = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
  }

  private Generator(LlamaModel model) {
    this.model = ForwardPass.of(model);
    this.tokenizer = null;
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
    int vocab = model.base().config().vocabSize();
    model.setTraining(false);
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
    try (NoGrad off = NoGrad.enter(); // decoding only: no graph to keep
        KvCache cache = config.useCache() ? model.base().newCache() : null) {
      int length = promptLength;
      int fed = 0; // positions already in the cache
      for (int step = 0; step < config.maxNewTokens(); step++) {
        float[] last;
        try (NDManager scope = model.base().manager().newSubManager()) {
          int from = cache == null ? 0 : fed;
          NDArray input = scope.create(columns(ids, batch, total, from, length), new Shape(batch, length - from));
          NDArray attention = scope.create(columns(mask, batch, total, 0, length), new Shape(batch, length));
          NDArray logits = model.logits(input, attention, cache); // (B, t, V)
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

  /** Columns {@code [from, to)} of a (rows, width) row-major array. */
  private static long[] columns(long[] data, int rows, int width, int from, int to) {
    long[] out = new long[rows * (to - from)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * width + from, out, r * (to - from), to - from);
    }
    return out;
  }
}
