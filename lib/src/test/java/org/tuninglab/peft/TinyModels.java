package org.tuninglab.peft;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.score.TokenCrossEntropy;

/** A tiny seeded decoder (D=32, 2 layers, vocab 64), a fixed batch, and plain SGD on it. */
final class TinyModels {
  static final int VOCAB = 64;

  private TinyModels() {}

  static ModelConfig config(boolean tied) {
    return ModelConfig.builder()
        .setVocabSize(VOCAB)
        .setHiddenSize(32)
        .setIntermediateSize(64)
        .setNumLayers(2)
        .setNumHeads(4)
        .optNumKvHeads(2)
        .optTieWordEmbeddings(tied)
        .build();
  }

  /** The same shape but wider (D=48): an adapter trained on {@link #model()} must not load on it. */
  static ModelConfig wider() {
    return ModelConfig.builder()
        .setVocabSize(VOCAB)
        .setHiddenSize(48)
        .setIntermediateSize(64)
        .setNumLayers(2)
        .setNumHeads(4)
        .optNumKvHeads(2)
        .build();
  }

  static LlamaModel model(ModelConfig config) throws IOException {
    return LlamaModel.create(
        config, RandomWeights.forTraining(7, 0.1), Device.cpu(), DataType.FLOAT32);
  }

  static LlamaModel model() throws IOException {
    return model(config(false));
  }

  /** A (2, 12) batch of seeded ids. */
  static long[] ids() {
    return new SplittableRandom(11).longs(24, 0, VOCAB).toArray();
  }

  static NDArray ids(NDManager m) {
    return m.create(ids(), new Shape(2, 12));
  }

  /** Logits as a Java array, computed in a throwaway manager. */
  static float[] logits(AdaptedModel adapted) {
    try (NDManager m = adapted.base().manager().newSubManager()) {
      return adapted.logits(ids(m), null).toFloatArray();
    }
  }

  /** Copies of every array the model holds, by name, to check frozen ones bit for bit. */
  static Map<String, float[]> snapshot(LlamaModel model) {
    Map<String, float[]> copy = new LinkedHashMap<>();
    model
        .namedArrays()
        .forEach((name, a) -> copy.put(name, a.toType(DataType.FLOAT32, true).toFloatArray()));
    return copy;
  }

  /** Next-token loss on the fixed batch, then {@code steps} SGD updates; returns the losses. */
  static float[] sgd(AdaptedModel adapted, int steps, float lr) {
    float[] losses = new float[steps];
    adapted.setTraining(true);
    for (int s = 0; s < steps; s++) {
      try (NDManager m = adapted.base().manager().newSubManager()) {
        NDArray ids = ids(m); // (B, T)
        NDArray inputs = ids.get(":, :-1"); // (B, T-1)
        NDArray labels = ids.get(":, 1:"); // (B, T-1)
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = TokenCrossEntropy.mean(adapted.logits(inputs, null), labels);
          losses[s] = loss.getFloat();
          gc.backward(loss);
        }
        for (NamedArray p : adapted.trainableArrays()) {
          NDArray grad = p.array().getGradient();
          try (NDArray step = grad.mul(lr)) {
            p.array().subi(step);
          }
          grad.subi(grad); // the collector accumulates: zero for the next step
        }
      }
    }
    adapted.setTraining(false);
    return losses;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
