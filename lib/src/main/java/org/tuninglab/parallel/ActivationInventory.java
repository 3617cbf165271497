package org.tuninglab.parallel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.tuninglab.model.LlamaWeights;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraTargets;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.Nf4Tensor;

/**
 * Every tensor one micro-batch of this project's training step holds, counted from the model's
 * shape: the activation model of the planner, written out so each byte can be traced to a line of
 * {@code LlamaModel}, {@code LoraLinear}, {@code Nf4Tensor} or {@code TokenCrossEntropy}.
 *
 * <p>The rule that makes it countable: every array the forward pass creates belongs to the
 * micro-batch's sub-manager and lives until that manager closes after backward, so what a
 * micro-batch holds is every forward output (not only what autograd saves for backward), plus the
 * copies libtorch's {@code matmul} makes of non-contiguous operands, which autograd keeps. Views
 * (reshape of a contiguous array, transpose, split, slicing) cost nothing. On top of that, at the
 * start of backward, come the gradients of the log-probabilities and logits, or a moment later
 * those of the last layer's attention scores ({@link #backwardBytes()}); after the micro-batches,
 * the optimizer's temporaries ({@link #optimizerBytes()}), when the activations are freed.
 */
public final class ActivationInventory {
  /**
   * One group of tensors.
   *
   * @param where "step" (once per forward), "layer" (each decoder layer), "adapter" (summed over
   *     the adapted projections of all layers), "head" (final norm, logits, loss), "backward",
   *     "optimizer"
   * @param tensors what they are, with their shape
   * @param bytes their bytes (for "layer": one layer's)
   */
  public record Entry(String where, String tensors, long bytes) {}

  private final List<Entry> entries = new ArrayList<>();
  private final int layers;
  private final boolean checkpointing;
  private final long layerInputBytes;
  private long largestLayerAdapterBytes;
  private long nf4UnpackingBytes;

  private ActivationInventory(int layers, boolean checkpointing, long layerInputBytes) {
    this.layers = layers;
    this.checkpointing = checkpointing;
    this.layerInputBytes = layerInputBytes;
  }

  /**
   * Counts the tensors of one micro-batch.
   *
   * @param c the model's shape
   * @param s the method, dtype, optimizer, micro-batch and sequence length
   * @param trainable values the optimizer updates
   */
  public static ActivationInventory of(ModelConfig c, PlanSettings s, long trainable) {
    int b = s.dtype().bytes();
    boolean half = s.dtype().isHalf();
    long batch = s.microBatch();
    long tokens = s.seqLen(); // T: the collator's width
    long virtual =
        s.method() instanceof MethodSpec.PromptTuning p ? p.config().numVirtualTokens() : 0;
    long t = tokens + virtual; // the decoder's positions
    long n0 = batch * tokens; // (B, T) input tokens
    long n = batch * t; // positions through the decoder
    long d = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long f = c.intermediateSize();
    long v = c.vocabSize();
    long scores = batch * c.numHeads() * t * t; // (B, H, T, T)
    ActivationInventory inv = new ActivationInventory(c.numLayers(), s.checkpointing(), n * d * b);

    inv.add("step", "batch ids, attention mask, labels (B, T) int64", 3 * n0 * 8);
    inv.add("step", "token embeddings (B, T, D)", n0 * d * b);
    if (virtual > 0) {
      inv.add("step", "virtual tokens zeros + prompt (B, n, D), concat (B, n+T, D)",
          2 * batch * virtual * d * b + n * d * b);
      inv.add("step", "padding mask ones (B, n) + concat (B, n+T) int64", batch * virtual * 8 + n * 8);
    }
    inv.add("step", "causal mask (B, 1, 1, T, T) float32", batch * t * t * 4);
    inv.add("step", "rotary positions (B, T) int64, cos and sin (B, T, 1, hd)",
        n * 8 + 2 * n * c.headDim() * b);

    inv.add("layer", "2 RMSNorms: x^2, x/rms, *weight (B, T, D) float32, mean/eps/sqrt (B, T, 1)"
        + (half ? ", casts up (float32) and down" : ""), 2 * rmsNormBytes(n, d, b));
    inv.add("layer", "q, k, v projections (B, T, q + 2 kv)", n * (q + 2 * kv) * b);
    inv.add("layer", "rotary on q and k: concat, *cos, *sin, + (4 each)", 4 * n * (q + kv) * b);
    inv.add("layer", "grouped queries reshaped from the transposed q (copy)", n * q * b);
    inv.add("layer", "k and v made contiguous inside matmul (copies autograd keeps)",
        2 * n * kv * b);
    inv.add("layer", "scores q k^T and *scale (B, H, T, T)", 2 * scores * b);
    if (half) {
      inv.add("layer", "scores cast to float32, probabilities cast back", scores * (4 + b));
    }
    inv.add("layer", "+mask, softmax (B, H, T, T) float32", 2 * scores * 4);
    inv.add("layer", "probabilities x values, heads merged (copy)", 2 * n * q * b);
    inv.add("layer", "o_proj output, residual add (B, T, D)", 2 * n * d * b);
    inv.add("layer", "gate, up, sigmoid, gate*sigmoid, *up (B, T, F)", 5 * n * f * b);
    inv.add("layer", "down_proj output, residual add (B, T, D)", 2 * n * d * b);

    inv.addAdapters(c, s, n);

    inv.add("head", "final RMSNorm", rmsNormBytes(n, d, b));
    inv.add("head", "logits (B, T, V)" + (half ? " and their float32 cast" : ""),
        n * v * (b + (half ? 4 : 0)));
    inv.add("head", "log-softmax (B, T, V) float32", n0 * v * 4);
    inv.add("head", "loss bookkeeping: mask, int64 labels x2, gather, float mask, product (B, T)",
        n0 * (1 + 8 + 8 + 4 + 4 + 4));

    boolean headTrains = s.method() instanceof MethodSpec.Full;
    inv.add("backward", "gradients of log-probabilities and logits (B, T, V) float32"
            + (half ? ", logits' gradient in the model dtype" : "")
            + (headTrains ? ", the output head's weight gradient before it is added (V, D)" : ""),
        n0 * v * 4 + n * v * 4 + (half ? n * v * b : 0) + (headTrains ? v * d * b : 0));
    inv.add("backward", "gradients of the last layer's probabilities and softmax input (B, H, T, T)",
        scores * (b + 4));
    if (inv.nf4UnpackingBytes > 0) {
      inv.add("backward", "or, in the last forward, the largest projection's NF4 unpacking arrays"
          + " (freed once its weight is rebuilt)", inv.nf4UnpackingBytes);
    }
    // The trainer's float32 gradient copies live for the whole update; the optimizer's temporaries
    // only for one parameter's (a scope per parameter), so the largest tensor's count.
    long largest = largestTrainable(c, s.method());
    inv.add("optimizer", (half ? "float32 copies of the gradients, " : "")
            + s.optimizer().temporaries() + " float32 temporaries of the largest trainable tensor"
            + " (" + largest + " values)" + (half ? ", its master rounded to the model dtype" : ""),
        trainable * (half ? 4 : 0) + largest * (4L * s.optimizer().temporaries() + (half ? b : 0)));
    return inv;
  }

  /** Values of the method's largest trainable tensor. */
  static long largestTrainable(ModelConfig c, MethodSpec method) {
    if (method instanceof MethodSpec.Full) {
      return LlamaWeights.shapes(c).values().stream()
          .mapToLong(shape -> shape.length == 1 ? shape[0] : shape[0] * shape[1]).max().orElseThrow();
    } else if (method instanceof MethodSpec.PromptTuning p) {
      return (long) p.config().numVirtualTokens() * c.hiddenSize();
    }
    LoraConfig lora = method instanceof MethodSpec.Lora l ? l.config()
        : ((MethodSpec.QLora) method).config();
    Map<String, long[]> shapes = LlamaWeights.projectionShapes(c);
    long largest = 0;
    for (String path : LoraTargets.select(shapes.keySet(), lora.targetModules())) {
      long[] outIn = shapes.get(path);
      largest = Math.max(largest, (long) lora.r() * Math.max(outIn[0], outIn[1])); // A (r, in), B (out, r)
    }
    return largest;
  }

  /** RMSNorm in float32 whatever the dtype: cast up, x^2, 3 x (B, T, 1), x/rms, cast down, *w. */
  private static long rmsNormBytes(long n, long d, int b) {
    boolean half = b < 4;
    return n * d * ((half ? 4 : 0) + 4 + 4 + (half ? b : 0) + b) + 3 * n * 4;
  }

  /** LoRA branches and NF4 dequantisation, per adapted projection. */
  private void addAdapters(ModelConfig c, PlanSettings s, long n) {
    LoraConfig lora;
    if (s.method() instanceof MethodSpec.Lora l) {
      lora = l.config();
    } else if (s.method() instanceof MethodSpec.QLora ql) {
      lora = ql.config();
    } else {
      return;
    }
    int b = s.dtype().bytes();
    Map<String, long[]> shapes = LlamaWeights.projectionShapes(c);
    long[] perLayer = new long[c.numLayers()];
    long branches = 0;
    for (String path : LoraTargets.select(shapes.keySet(), lora.targetModules())) {
      long out = shapes.get(path)[0];
      long in = shapes.get(path)[1];
      long bytes = n * in * (lora.dropout() > 0 ? 4 + 1 + 2L * b : 0) // uniform, >= p, cast, x*keep
          + n * lora.r() * b * (lora.scaling() == 1 ? 1 : 2) // x A^T (and *scale)
          + 2 * n * out * b; // (.) B^T, + base
      branches += bytes;
      perLayer[layerOf(path)] += bytes;
    }
    add("adapter", "LoRA branches: dropout mask (uniform float32, >= p, cast, x*keep), x A^T, *s,"
        + " B, + base", branches);
    if (s.method() instanceof MethodSpec.QLora) {
      long dequantised = 0;
      long largestUnpacking = 0;
      for (var e : shapes.entrySet()) {
        long blocks = Math.max(1,
            (e.getValue()[0] * e.getValue()[1] + Nf4Tensor.BLOCK - 1) / Nf4Tensor.BLOCK);
        long values = blocks * Nf4Tensor.BLOCK; // padded to whole blocks until the final view
        // Held: the rebuilt weight (block scaling's product, b a value), which autograd saves.
        long bytes = values * b;
        dequantised += bytes;
        perLayer[layerOf(e.getKey())] += bytes;
        // Freed as soon as the weight is rebuilt: packed bytes as int32 (2 a value), nibble
        // mod/sub/div (2 + 2 + 2), two int64 nibble arrays (4 + 4), stacked codes (8), codebook
        // lookup (b); per block: absmax codes, repeated nested scales, product and sum in float32.
        largestUnpacking = Math.max(largestUnpacking,
            values * (24 + (long) b) + blocks * 4 * 4 + (b < 4 ? blocks * b : 0));
      }
      add("adapter", "NF4 weights dequantised for this forward pass (kept for backward)",
          dequantised);
      nf4UnpackingBytes = largestUnpacking;
    }
    for (long bytes : perLayer) {
      largestLayerAdapterBytes = Math.max(largestLayerAdapterBytes, bytes);
    }
  }

  private static int layerOf(String path) {
    String rest = path.substring("model.layers.".length());
    return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
  }

  private void add(String where, String tensors, long bytes) {
    entries.add(new Entry(where, tensors, bytes));
  }

  /** The groups, in forward order, then backward and the optimizer. */
  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  private long sum(String where) {
    return entries.stream().filter(e -> e.where().equals(where)).mapToLong(Entry::bytes).sum();
  }

  /** One decoder layer's tensors (without adapters). */
  public long layerBytes() {
    return sum("layer");
  }

  /**
   * What a micro-batch holds at the end of its forward pass. With checkpointing, each layer keeps
   * only its input {@code (B, T, D)} and one layer at a time is rebuilt in backward.
   */
  public long activationBytes() {
    long fixed = sum("step") + sum("head");
    if (checkpointing) {
      return fixed + layers * layerInputBytes + layerBytes() + largestLayerAdapterBytes;
    }
    return fixed + layers * layerBytes() + sum("adapter");
  }

  /**
   * The largest transient on top of the activations: the head's gradients at the start of
   * backward, the last layer's attention's a moment later (the head's are freed by then), or, for
   * QLoRA, the last forward's largest NF4 unpacking arrays (counted on top of all activations:
   * an upper bound).
   */
  public long backwardBytes() {
    return entries.stream().filter(e -> e.where().equals("backward")).mapToLong(Entry::bytes)
        .max().orElse(0);
  }

  /** The optimizer's temporaries, after the micro-batch's activations are freed. */
  public long optimizerBytes() {
    return sum("optimizer");
  }
}
