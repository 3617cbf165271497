package org.tuninglab.model;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;

/**
 * The weights of a deeper model grown from a saved one by block expansion (as in LLaMA Pro): each
 * saved layer is followed by {@code layers / savedLayers - 1} new ones. A new layer's output
 * projections ({@code o_proj}, {@code down_proj}) and their biases are zero, so it adds nothing
 * to the residual stream and the grown model computes exactly what the saved one did; its other
 * weights are fresh, so that training can put it to use. Embeddings, final norm and output head
 * are the saved model's.
 */
public final class DepthExpansion implements WeightSource {
  private static final String LAYERS = "model.layers.";

  private final WeightSource saved;
  private final WeightSource fresh;
  private final int perSavedLayer;

  /**
   * @param saved the saved model's weights
   * @param savedLayers its layer count
   * @param layers the grown model's layer count, a multiple of {@code savedLayers}
   * @param fresh where a new layer's other weights come from (e.g. {@link
   *     RandomWeights#forTraining})
   */
  public DepthExpansion(WeightSource saved, int savedLayers, int layers, WeightSource fresh) {
    if (savedLayers < 1 || layers < savedLayers || layers % savedLayers != 0) {
      throw new IllegalArgumentException(
          "a model of " + savedLayers + " layers grows to a multiple of that, not " + layers);
    }
    this.saved = saved;
    this.fresh = fresh;
    this.perSavedLayer = layers / savedLayers;
  }

  @Override
  public float[] read(String name, long[] shape) throws IOException {
    if (!name.startsWith(LAYERS)) {
      return saved.read(name, shape);
    }
    int dot = name.indexOf('.', LAYERS.length());
    int layer = Integer.parseInt(name.substring(LAYERS.length(), dot));
    String module = name.substring(dot + 1);
    if (layer % perSavedLayer == 0) {
      return saved.read(LlamaWeights.layerModule(layer / perSavedLayer, module), shape);
    }
    if (module.startsWith("self_attn.o_proj.") || module.startsWith("mlp.down_proj.")) {
      return new float[Math.toIntExact(new Shape(shape).size())];
    }
    return fresh.read(name, shape);
  }
}
