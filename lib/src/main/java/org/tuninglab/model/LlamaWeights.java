package org.tuninglab.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tensor names and shapes of a Llama-family checkpoint in Hugging Face layout. */
public final class LlamaWeights {
  public static final String EMBED = "model.embed_tokens.weight";
  public static final String FINAL_NORM = "model.norm.weight";
  public static final String LM_HEAD = "lm_head.weight";

  /** The projections of one layer, by module name relative to the layer. */
  public static final String[] PROJECTIONS = {
    "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
    "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"
  };

  private LlamaWeights() {}

  /** {@code model.layers.{layer}.{module}} */
  public static String layerModule(int layer, String module) {
    return "model.layers." + layer + "." + module;
  }

  /** Each projection's weight shape {@code (out, in)} by module path, in model order. */
  public static Map<String, long[]> projectionShapes(ModelConfig c) {
    Map<String, long[]> all = shapes(c);
    Map<String, long[]> projections = new LinkedHashMap<>();
    for (int i = 0; i < c.numLayers(); i++) {
      for (String module : PROJECTIONS) {
        String path = layerModule(i, module);
        projections.put(path, all.get(path + ".weight"));
      }
    }
    return projections;
  }

  /** Every tensor the config calls for, in checkpoint order, with its shape. */
  public static Map<String, long[]> shapes(ModelConfig c) {
    long d = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long ff = c.intermediateSize();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put(EMBED, new long[] {c.vocabSize(), d});
    for (int i = 0; i < c.numLayers(); i++) {
      shapes.put(layerModule(i, "input_layernorm.weight"), new long[] {d});
      shapes.put(layerModule(i, "self_attn.q_proj.weight"), new long[] {q, d});
      shapes.put(layerModule(i, "self_attn.k_proj.weight"), new long[] {kv, d});
      shapes.put(layerModule(i, "self_attn.v_proj.weight"), new long[] {kv, d});
      if (c.attentionBias()) {
        shapes.put(layerModule(i, "self_attn.q_proj.bias"), new long[] {q});
        shapes.put(layerModule(i, "self_attn.k_proj.bias"), new long[] {kv});
        shapes.put(layerModule(i, "self_attn.v_proj.bias"), new long[] {kv});
      }
      shapes.put(layerModule(i, "self_attn.o_proj.weight"), new long[] {d, q});
      if (c.outputBias()) {
        shapes.put(layerModule(i, "self_attn.o_proj.bias"), new long[] {d});
      }
      shapes.put(layerModule(i, "post_attention_layernorm.weight"), new long[] {d});
      shapes.put(layerModule(i, "mlp.gate_proj.weight"), new long[] {ff, d});
      shapes.put(layerModule(i, "mlp.up_proj.weight"), new long[] {ff, d});
      shapes.put(layerModule(i, "mlp.down_proj.weight"), new long[] {d, ff});
    }
    shapes.put(FINAL_NORM, new long[] {d});
    if (!c.tieWordEmbeddings()) {
      shapes.put(LM_HEAD, new long[] {c.vocabSize(), d});
    }
    return shapes;
  }
}
