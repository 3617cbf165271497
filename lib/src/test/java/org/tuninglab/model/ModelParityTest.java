package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The DJL decoder against the independent float64 reference, on tiny configs of each family. */
class ModelParityTest {
  static final double TOLERANCE = 1e-4;
  static final int[] IDS = {1, 17, 5, 42, 9, 63, 0, 28, 33, 2, 11};

  static Stream<Arguments> configs() {
    ModelConfig.Builder base =
        ModelConfig.builder().setVocabSize(64).setHiddenSize(32).setIntermediateSize(48)
            .setNumLayers(2).setNumHeads(4);
    return Stream.of(
        Arguments.of("llama, grouped-query", base.optNumKvHeads(2).build()),
        Arguments.of(
            "qwen2, qkv bias, tied, one kv head, explicit head_dim",
            ModelConfig.builder().optArchitecture(Architecture.QWEN2).setVocabSize(64)
                .setHiddenSize(32).setIntermediateSize(48).setNumLayers(2).setNumHeads(4)
                .optNumKvHeads(1).optHeadDim(12).optTieWordEmbeddings(true).optRopeTheta(1e6)
                .build()),
        Arguments.of(
            "mistral, sliding window 3",
            ModelConfig.builder().optArchitecture(Architecture.MISTRAL).setVocabSize(64)
                .setHiddenSize(32).setIntermediateSize(48).setNumLayers(2).setNumHeads(4)
                .optNumKvHeads(2).optSlidingWindow(3).build()),
        Arguments.of(
            "llama 3 rope scaling",
            ModelConfig.builder().setVocabSize(64).setHiddenSize(32).setIntermediateSize(48)
                .setNumLayers(2).setNumHeads(2).optNumKvHeads(1).optRopeTheta(500000)
                .optRopeScaling(RopeScaling.llama3(8, 1, 4, 8)).build()),
        Arguments.of(
            "llama2.c interleaved rotary",
            ModelConfig.builder().setVocabSize(64).setHiddenSize(32).setIntermediateSize(48)
                .setNumLayers(2).setNumHeads(4).optNumKvHeads(2)
                .optRopeLayout(RopeLayout.INTERLEAVED).optTieWordEmbeddings(true).build()));
  }

  static Map<String, float[]> weights(ModelConfig config, WeightSource source) throws IOException {
    Map<String, float[]> w = new HashMap<>();
    for (var e : LlamaWeights.shapes(config).entrySet()) {
      w.put(e.getKey(), source.read(e.getKey(), e.getValue()));
    }
    return w;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void logitsMatchTheFloat64Reference(String name, ModelConfig config) throws IOException {
    WeightSource source = RandomWeights.everywhere(7, 0.2);
    double[][] expected = new ReferenceLlama(config, weights(config, source)).logits(IDS);
    try (LlamaModel model = LlamaModel.create(config, source, Device.cpu(), DataType.FLOAT32);
        NDManager step = model.manager().newSubManager()) {
      NDArray ids = step.create(toLong(IDS), new Shape(1, IDS.length));
      float[] logits = model.forward(ids).toFloatArray();
      assertClose(expected, logits, 0, IDS.length, 0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void leftAndRightPaddingGiveTheUnpaddedLogits(String name, ModelConfig config)
      throws IOException {
    WeightSource source = RandomWeights.everywhere(11, 0.2);
    int[] shortIds = {3, 14, 15, 9, 26};
    double[][] expectedLong = new ReferenceLlama(config, weights(config, source)).logits(IDS);
    double[][] expectedShort = new ReferenceLlama(config, weights(config, source)).logits(shortIds);
    int t = IDS.length;
    int pad = t - shortIds.length;
    try (LlamaModel model = LlamaModel.create(config, source, Device.cpu(), DataType.FLOAT32);
        NDManager step = model.manager().newSubManager()) {
      for (boolean left : new boolean[] {true, false}) {
        long[] ids = new long[2 * t];
        long[] mask = new long[2 * t];
        for (int i = 0; i < t; i++) {
          ids[i] = IDS[i];
          mask[i] = 1;
          int j = left ? i - pad : i;
          boolean real = j >= 0 && j < shortIds.length;
          ids[t + i] = real ? shortIds[j] : 0;
          mask[t + i] = real ? 1 : 0;
        }
        NDArray logits =
            model.forward(
                step.create(ids, new Shape(2, t)), step.create(mask, new Shape(2, t)), null);
        float[] flat = logits.toFloatArray();
        assertClose(expectedLong, flat, 0, t, 0);
        assertClose(expectedShort, flat, t, shortIds.length, left ? pad : 0);
      }
    }
  }

  /** Compares rows {@code offset..offset+count} of sequence {@code seq} in a (B, T, V) array. */
  private static void assertClose(
      double[][] expected, float[] actual, int rowBase, int count, int offset) {
    int v = expected[0].length;
    double maxDiff = 0;
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < v; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(expected[i][j] - actual[(rowBase + offset + i) * v + j]));
      }
    }
    assertTrue(maxDiff < TOLERANCE, "max abs logit difference " + maxDiff);
    assertEquals(v, expected[0].length);
  }

  static long[] toLong(int[] ids) {
    long[] out = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i];
    }
    return out;
  }
}
