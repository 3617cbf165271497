package org.tuninglab.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Llama-family decoder: token embeddings, {@code numLayers} pre-norm blocks of grouped-query
 * attention with rotary positions and a SwiGLU MLP, a final RMSNorm and the output head.
 *
 * <p>Device and dtype are constructor parameters; the same code runs a 260K-parameter model on a
 * laptop CPU and an 8B model on a GPU. Intermediate arrays of a forward pass belong to the manager
 * of its input, so callers run each step inside a sub-manager of {@link #manager()}.
 */
public final class LlamaModel implements AutoCloseable {
  private final ModelConfig config;
  private final Device device;
  private final DataType dtype;
  private final NDManager manager;
  private final NDArray embedTokens; // (V, D)
  private final DecoderLayer[] layers;
  private final NDArray finalNorm; // (D)
  private final LinearLayer lmHead;
  private final RotaryEmbedding rotary;
  // Scalar operands of the forward pass, made once: autograd keeps them for backward.
  private final NDArray attentionScale; // 1 / sqrt(headDim), float64
  private final NDArray rmsNormEps; // float64

  private LlamaModel(ModelConfig config, Device device, DataType dtype, WeightSource source)
      throws IOException {
    this.config = config;
    this.device = device;
    this.dtype = dtype;
    this.manager = NDManager.newBaseManager(device);
    try {
      Map<String, long[]> shapes = LlamaWeights.shapes(config);
      this.embedTokens = load(source, LlamaWeights.EMBED, shapes);
      this.layers = new DecoderLayer[config.numLayers()];
      for (int i = 0; i < layers.length; i++) {
        DecoderLayer layer =
            new DecoderLayer(
                load(source, LlamaWeights.layerModule(i, "input_layernorm.weight"), shapes),
                load(source, LlamaWeights.layerModule(i, "post_attention_layernorm.weight"), shapes));
        for (String module : LlamaWeights.PROJECTIONS) {
          String prefix = LlamaWeights.layerModule(i, module);
          NDArray weight = load(source, prefix + ".weight", shapes);
          NDArray bias =
              shapes.containsKey(prefix + ".bias") ? load(source, prefix + ".bias", shapes) : null;
          layer.setProjection(module, new DenseLinear(weight, bias));
        }
        layers[i] = layer;
      }
      this.finalNorm = load(source, LlamaWeights.FINAL_NORM, shapes);
      this.lmHead =
          new DenseLinear(
              config.tieWordEmbeddings()
                  ? embedTokens
                  : load(source, LlamaWeights.LM_HEAD, shapes),
              null);
      this.rotary = new RotaryEmbedding(config, manager, dtype);
      this.attentionScale = OwnedScalar.of(manager, 1.0 / Math.sqrt(config.headDim()));
      this.rmsNormEps = OwnedScalar.of(manager, config.rmsNormEps());
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Builds a model whose weights come from {@code source} (checkpoint, import, random init). */
  public static LlamaModel create(
      ModelConfig config, WeightSource source, Device device, DataType dtype) throws IOException {
    if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
      throw new IllegalArgumentException(
          "dtype must be FLOAT32 or FLOAT16 (bfloat16 aborts DJL's PyTorch JNI), got " + dtype);
    }
    return new LlamaModel(config, device, dtype, source);
  }

  private NDArray load(WeightSource source, String name, Map<String, long[]> shapes)
      throws IOException {
    long[] shape = shapes.get(name);
    if (dtype == DataType.FLOAT16) {
      // Half-precision checkpoints go to the device as 2-byte values, never through float32.
      short[] bits = source.readFp16(name, shape);
      requireSize(name, shape, bits.length);
      return manager.create(java.nio.ShortBuffer.wrap(bits), new Shape(shape), DataType.FLOAT16);
    }
    float[] data = source.read(name, shape);
    requireSize(name, shape, data.length);
    return manager.create(data, new Shape(shape));
  }

  private static void requireSize(String name, long[] shape, int values) throws ModelFormatException {
    if (values != Math.multiplyExact(1L, new Shape(shape).size())) {
      throw new ModelFormatException(
          "tensor '" + name + "': expected shape " + Arrays.toString(shape) + " ("
              + new Shape(shape).size() + " values), got " + values + " values");
    }
  }

  public ModelConfig config() {
    return config;
  }

  public Device device() {
    return device;
  }

  public DataType dtype() {
    return dtype;
  }

  /** The manager owning the weights; run each forward pass in a sub-manager of it. */
  public NDManager manager() {
    return manager;
  }

  /** A fresh, empty cache for incremental decoding. */
  public KvCache newCache() {
    return new KvCache(manager, layers.length);
  }

  /** Token embeddings {@code (B, T) -> (B, T, D)}. */
  public NDArray embed(NDArray inputIds) {
    return Embedding.embedding(inputIds, embedTokens, SparseFormat.DENSE).singletonOrThrow();
  }

  /** Logits {@code (B, T, V)} in float32 for a batch of unpadded sequences of equal length. */
  public NDArray forward(NDArray inputIds) {
    return forward(inputIds, null, null);
  }

  /**
   * Logits {@code (B, T, V)} in float32.
   *
   * @param inputIds {@code (B, T)} token ids
   * @param attentionMask {@code (B, past + T)}: 1 for real tokens, 0 for padding (left or right);
   *     null when nothing is padded
   * @param cache keys/values of earlier positions, appended to; null for a full forward
   */
  public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    return forwardEmbeddings(embed(inputIds), attentionMask, cache);
  }

  /** Like {@link #forward(NDArray, NDArray, KvCache)} from input embeddings {@code (B, T, D)}. */
  public NDArray forwardEmbeddings(NDArray inputEmbeds, NDArray attentionMask, KvCache cache) {
    NDArray hidden = hiddenStates(inputEmbeds, attentionMask, cache);
    return DifferentiableCast.to(lmHead.forward(hidden), DataType.FLOAT32); // (B, T, V)
  }

  /** The final normalised hidden states {@code (B, T, D)}, before the output head. */
  public NDArray hiddenStates(NDArray inputEmbeds, NDArray attentionMask, KvCache cache) {
    Shape s = inputEmbeds.getShape();
    int batch = (int) s.get(0);
    int t = (int) s.get(1);
    int past = cache == null ? 0 : cache.length();
    AttentionMask mask = AttentionMask.build(inputEmbeds.getManager(), attentionMask, batch, past, t, config.slidingWindow());
    NDArray[] cosSin = rotary.tables(mask.positions(), mask.maxPosition());
    NDArray x = DifferentiableCast.to(inputEmbeds, dtype); // (B, T, D)
    for (int i = 0; i < layers.length; i++) {
      DecoderLayer layer = layers[i];
      NDArray h = rmsNorm(x, layer.inputNorm);
      x = x.add(attention(i, layer, h, mask.additive(), cosSin, cache));
      h = rmsNorm(x, layer.postAttentionNorm);
      x = x.add(mlp(layer, h));
    }
    if (cache != null) {
      cache.advance(t);
    }
    return rmsNorm(x, finalNorm);
  }

  /**
   * Layer {@code i}'s attention branch on hidden states {@code (B, T, D)} of unpadded sequences:
   * input norm, attention, output projection; the caller adds the residual. Parallel training runs
   * the decoder one branch at a time (layers on different devices, heads split across devices).
   */
  public NDArray attentionBranch(int i, NDArray x) {
    Shape s = x.getShape();
    AttentionMask mask =
        AttentionMask.build(
            x.getManager(), null, (int) s.get(0), 0, (int) s.get(1), config.slidingWindow());
    NDArray[] cosSin = rotary.tables(mask.positions(), mask.maxPosition());
    NDArray h = rmsNorm(x, layers[i].inputNorm);
    return attention(i, layers[i], h, mask.additive(), cosSin, null); // (B, T, D)
  }

  /** Layer {@code i}'s MLP branch {@code (B, T, D)}: post-attention norm and SwiGLU MLP. */
  public NDArray mlpBranch(int i, NDArray x) {
    return mlp(layers[i], rmsNorm(x, layers[i].postAttentionNorm)); // (B, T, D)
  }

  /** Float32 logits {@code (B, T, V)} from the last layer's output: final norm and head. */
  public NDArray head(NDArray x) {
    return DifferentiableCast.to(lmHead.forward(rmsNorm(x, finalNorm)), DataType.FLOAT32);
  }

  private NDArray attention(
      int index, DecoderLayer layer, NDArray h, NDArray additiveMask, NDArray[] cosSin, KvCache cache) {
    Shape s = h.getShape();
    long b = s.get(0);
    long t = s.get(1);
    int heads = config.numHeads();
    int kvHeads = config.numKvHeads();
    int hd = config.headDim();
    int group = config.groupSize();
    NDArray q = layer.projection("self_attn.q_proj").forward(h).reshape(b, t, heads, hd);
    NDArray k = layer.projection("self_attn.k_proj").forward(h).reshape(b, t, kvHeads, hd);
    NDArray v = layer.projection("self_attn.v_proj").forward(h).reshape(b, t, kvHeads, hd);
    q = rotary.apply(q, cosSin[0], cosSin[1]).transpose(0, 2, 1, 3); // (B, H, T, hd)
    k = rotary.apply(k, cosSin[0], cosSin[1]).transpose(0, 2, 1, 3); // (B, kvH, T, hd)
    v = v.transpose(0, 2, 1, 3); // (B, kvH, T, hd)
    if (cache != null) {
      NDArray[] kv = cache.append(index, k, v);
      k = kv[0]; // (B, kvH, S, hd)
      v = kv[1];
    }
    long keys = k.getShape().get(2);
    // Query heads sharing a key/value head sit next to each other: fold them into the query rows
    // of that head, (B, kvH, g*T, hd), so plain batched matmuls serve grouped-query attention
    // without copying keys and values once per query head.
    NDArray qg = q.reshape(b, kvHeads, group * t, hd); // (B, kvH, g*T, hd)
    NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2)).mul(attentionScale); // (B, kvH, g*T, S)
    // Softmax in float32 whatever the model dtype (the mask's lowest float needs it too).
    NDArray probs32 =
        DifferentiableCast.to(scores, DataType.FLOAT32)
            .reshape(b, kvHeads, group, t, keys) // (B, kvH, g, T, S)
            .add(additiveMask)
            .softmax(-1);
    NDArray probs = // (B, kvH, g*T, S)
        DifferentiableCast.to(probs32, dtype).reshape(b, kvHeads, group * t, keys);
    NDArray out = probs.matMul(v); // (B, kvH, g*T, hd)
    out = out.reshape(b, heads, t, hd).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
    return layer.projection("self_attn.o_proj").forward(out); // (B, T, D)
  }

  private NDArray mlp(DecoderLayer layer, NDArray h) {
    NDArray gate = layer.projection("mlp.gate_proj").forward(h); // (B, T, F)
    NDArray up = layer.projection("mlp.up_proj").forward(h); // (B, T, F)
    NDArray silu = gate.mul(Activation.sigmoid(gate));
    return layer.projection("mlp.down_proj").forward(silu.mul(up)); // (B, T, D)
  }

  /**
   * RMSNorm computed in float32 whatever the model dtype, as the reference implementations do
   * (in float16, x^2 overflows once |x| passes 256).
   */
  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray xf = DifferentiableCast.to(x, DataType.FLOAT32); // (B, T, D)
    // (B, T, 1)
    NDArray rms = xf.square().mean(new int[] {-1}, true).add(rmsNormEps).sqrt();
    return DifferentiableCast.to(xf.div(rms), dtype).mul(weight);
  }

  /** Every projection by module path, e.g. {@code model.layers.0.self_attn.q_proj}. */
  public Map<String, LinearLayer> linearLayers() {
    Map<String, LinearLayer> all = new LinkedHashMap<>();
    for (int i = 0; i < layers.length; i++) {
      for (var e : layers[i].projections().entrySet()) {
        all.put(LlamaWeights.layerModule(i, e.getKey()), e.getValue());
      }
    }
    return all;
  }

  /** Replaces the projection at a module path (as listed by {@link #linearLayers()}). */
  public void replaceLinear(String modulePath, LinearLayer replacement) {
    for (int i = 0; i < layers.length; i++) {
      String prefix = "model.layers." + i + ".";
      if (modulePath.startsWith(prefix)) {
        String module = modulePath.substring(prefix.length());
        LinearLayer current = layers[i].projection(module);
        if (current != null) {
          requireSameShape(modulePath, current, replacement);
          layers[i].setProjection(module, replacement);
          return;
        }
      }
    }
    throw new IllegalArgumentException(
        "no projection named '" + modulePath + "'; projections are model.layers.<i>.<module> with"
            + " module one of " + String.join(", ", LlamaWeights.PROJECTIONS));
  }

  private static void requireSameShape(String path, LinearLayer current, LinearLayer replacement) {
    if (current.inFeatures() != replacement.inFeatures()
        || current.outFeatures() != replacement.outFeatures()) {
      throw new IllegalArgumentException(
          path + ": replacement maps " + replacement.inFeatures() + " -> "
              + replacement.outFeatures() + " features, the model needs " + current.inFeatures()
              + " -> " + current.outFeatures());
    }
  }

  /**
   * The model's tensors by checkpoint name, in checkpoint order. Projections contribute the arrays
   * they own under their module path; the tied output head is not listed twice.
   */
  public Map<String, NDArray> namedArrays() {
    Map<String, NDArray> named = new LinkedHashMap<>();
    named.put(LlamaWeights.EMBED, embedTokens);
    for (int i = 0; i < layers.length; i++) {
      DecoderLayer layer = layers[i];
      named.put(LlamaWeights.layerModule(i, "input_layernorm.weight"), layer.inputNorm);
      for (var e : layer.projections().entrySet()) {
        for (NamedArray a : e.getValue().arrays()) {
          named.put(LlamaWeights.layerModule(i, e.getKey()) + "." + a.name(), a.array());
        }
      }
      named.put(LlamaWeights.layerModule(i, "post_attention_layernorm.weight"), layer.postAttentionNorm);
    }
    named.put(LlamaWeights.FINAL_NORM, finalNorm);
    if (!config.tieWordEmbeddings()) {
      for (NamedArray a : lmHead.arrays()) {
        named.put("lm_head." + a.name(), a.array());
      }
    }
    return named;
  }

  /** The output head (shares the embedding matrix when tied). */
  public LinearLayer lmHead() {
    return lmHead;
  }

  @Override
  public void close() {
    manager.close();
  }
}
