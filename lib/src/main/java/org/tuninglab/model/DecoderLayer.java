package org.tuninglab.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** One transformer block's weights: two RMSNorm scales and seven projections, by module name. */
final class DecoderLayer {
  final ai.djl.ndarray.NDArray inputNorm; // (D)
  final ai.djl.ndarray.NDArray postAttentionNorm; // (D)
  private final Map<String, LinearLayer> projections = new LinkedHashMap<>();

  DecoderLayer(ai.djl.ndarray.NDArray inputNorm, ai.djl.ndarray.NDArray postAttentionNorm) {
    this.inputNorm = inputNorm;
    this.postAttentionNorm = postAttentionNorm;
  }

  LinearLayer projection(String module) {
    return projections.get(module);
  }

  void setProjection(String module, LinearLayer layer) {
    projections.put(module, layer);
  }

  Map<String, LinearLayer> projections() {
    return projections;
  }
}
