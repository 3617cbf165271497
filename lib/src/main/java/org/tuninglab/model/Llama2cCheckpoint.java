package org.tuninglab.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A llama2.c "version 0" checkpoint ({@code model.bin}): seven int32 header fields, then float32
 * weights in a fixed order. Imported under Hugging Face names with the interleaved rotary layout
 * llama2.c uses; {@link #toHalfSplit()} permutes q/k rows so the same weights run as a standard
 * Hugging Face Llama.
 */
public final class Llama2cCheckpoint implements WeightSource {
  private final ModelConfig config;
  private final Map<String, float[]> tensors;

  private Llama2cCheckpoint(ModelConfig config, Map<String, float[]> tensors) {
    this.config = config;
    this.tensors = tensors;
  }

  public ModelConfig config() {
    return config;
  }

  public static Llama2cCheckpoint read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(file + ": llama2.c checkpoint not found");
    }
    if (bytes.length < 28) {
      throw new ModelFormatException(
          file + ": " + bytes.length + " bytes is too short for the 28-byte llama2.c header");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int dim = buf.getInt();
    int hidden = buf.getInt();
    int layers = buf.getInt();
    int heads = buf.getInt();
    int kvHeads = buf.getInt();
    int vocabField = buf.getInt();
    int seqLen = buf.getInt();
    int vocab = Math.abs(vocabField);
    boolean shared = vocabField > 0;
    int[] header = {dim, hidden, layers, heads, kvHeads, vocab, seqLen};
    if (Arrays.stream(header).anyMatch(v -> v <= 0) || dim % heads != 0 || heads % kvHeads != 0) {
      throw new ModelFormatException(
          file + ": implausible llama2.c header (dim, hidden_dim, n_layers, n_heads, n_kv_heads,"
              + " vocab_size, seq_len) = " + Arrays.toString(header));
    }
    ModelConfig config =
        ModelConfig.builder().setVocabSize(vocab).setHiddenSize(dim).setIntermediateSize(hidden)
            .setNumLayers(layers).setNumHeads(heads).optNumKvHeads(kvHeads).optMaxPositions(seqLen)
            .optRmsNormEps(1e-5).optRopeTheta(10000).optTieWordEmbeddings(shared)
            .optRopeLayout(RopeLayout.INTERLEAVED).optBosTokenId(1).optEosTokenIds(java.util.List.of(2))
            .build();
    int headSize = dim / heads;
    long expectedFloats =
        (long) vocab * dim
            + (long) layers * (2L * dim + (long) dim * heads * headSize
                + 2L * dim * kvHeads * headSize + (long) heads * headSize * dim
                + 3L * dim * hidden)
            + dim + (long) seqLen * headSize + (shared ? 0 : (long) vocab * dim);
    long actualFloats = (bytes.length - 28L) / 4;
    if (actualFloats != expectedFloats) {
      throw new ModelFormatException(
          file + ": the header " + Arrays.toString(header) + " calls for " + expectedFloats
              + " float32 values, the file holds " + actualFloats);
    }
    var reader = new Stacked(buf.asFloatBuffer(), layers);
    Map<String, float[]> t = new LinkedHashMap<>();
    int q = heads * headSize;
    int kv = kvHeads * headSize;
    t.put(LlamaWeights.EMBED, reader.next(vocab * dim));
    reader.perLayer(t, "input_layernorm.weight", dim);
    reader.perLayer(t, "self_attn.q_proj.weight", q * dim);
    reader.perLayer(t, "self_attn.k_proj.weight", kv * dim);
    reader.perLayer(t, "self_attn.v_proj.weight", kv * dim);
    reader.perLayer(t, "self_attn.o_proj.weight", dim * q);
    reader.perLayer(t, "post_attention_layernorm.weight", dim);
    reader.perLayer(t, "mlp.gate_proj.weight", hidden * dim);
    reader.perLayer(t, "mlp.down_proj.weight", dim * hidden);
    reader.perLayer(t, "mlp.up_proj.weight", hidden * dim);
    t.put(LlamaWeights.FINAL_NORM, reader.next(dim));
    reader.next(seqLen * headSize); // legacy freq_cis_real and freq_cis_imag
    if (!shared) {
      t.put(LlamaWeights.LM_HEAD, reader.next(vocab * dim));
    }
    return new Llama2cCheckpoint(config, t);
  }

  @Override
  public float[] read(String name, long[] shape) throws IOException {
    float[] data = tensors.get(name);
    if (data == null) {
      throw new ModelFormatException("llama2.c checkpoint has no tensor '" + name + "'");
    }
    return data;
  }

  /**
   * The same model in Hugging Face's half-split rotary layout: within each head, q and k rows
   * {@code 2i, 2i+1} move to {@code i, i + headDim/2}, which turns the interleaved rotation into
   * rotate_half without changing any output.
   */
  public Llama2cCheckpoint toHalfSplit() {
    if (config.ropeLayout() == RopeLayout.HALF_SPLIT) {
      return this;
    }
    Map<String, float[]> t = new LinkedHashMap<>(tensors);
    for (int layer = 0; layer < config.numLayers(); layer++) {
      permute(t, LlamaWeights.layerModule(layer, "self_attn.q_proj.weight"), config.numHeads());
      permute(t, LlamaWeights.layerModule(layer, "self_attn.k_proj.weight"), config.numKvHeads());
    }
    return new Llama2cCheckpoint(config.withRopeLayout(RopeLayout.HALF_SPLIT), t);
  }

  private void permute(Map<String, float[]> t, String name, int heads) {
    t.put(name, RopePermutation.interleavedToHalfSplit(t.get(name), heads, config.headDim(), config.hiddenSize()));
  }

  /** Reads consecutive float blocks; per-layer blocks are stored layer after layer. */
  private static final class Stacked {
    private final java.nio.FloatBuffer floats;
    private final int layers;

    Stacked(java.nio.FloatBuffer floats, int layers) {
      this.floats = floats;
      this.layers = layers;
    }

    float[] next(int count) {
      float[] out = new float[count];
      floats.get(out);
      return out;
    }

    void perLayer(Map<String, float[]> t, String suffix, int count) {
      for (int layer = 0; layer < layers; layer++) {
        t.put(LlamaWeights.layerModule(layer, suffix), next(count));
      }
    }
  }
}
