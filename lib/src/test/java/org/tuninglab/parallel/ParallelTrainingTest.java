package org.tuninglab.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.Architecture;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.score.NoGrad;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.train.AdamW;
import org.tuninglab.train.AdamWConfig;

/**
 * Each strategy against single-device training on a tiny random decoder (D=32, 4 heads over 2
 * key/value heads, F=64, 2 layers, vocab 64), float32, two devices that are both the CPU: the
 * loss and every gradient within 1e-5 of the largest reference value, and the loss after one
 * AdamW update too.
 */
class ParallelTrainingTest {
  private static final double TOLERANCE = 1e-5;
  private static final double LR = 1e-2;
  private static final List<Device> TWO = Collections.nCopies(2, Device.cpu());

  private static ModelConfig config(boolean tied) {
    return config(tied, false);
  }

  /** {@code qwen}: Qwen2's q/k/v biases (no output-projection bias). */
  private static ModelConfig config(boolean tied, boolean qwen) {
    return ModelConfig.builder()
        .optArchitecture(qwen ? Architecture.QWEN2 : Architecture.LLAMA)
        .setVocabSize(64)
        .setHiddenSize(32)
        .setIntermediateSize(64)
        .setNumLayers(2)
        .setNumHeads(4)
        .optNumKvHeads(2)
        .optTieWordEmbeddings(tied)
        .build();
  }

  private static TokenRows rows() {
    SplittableRandom rng = new SplittableRandom(3);
    long[] ids = new long[4 * 8];
    long[] labels = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(64);
      labels[i] = i % 8 == 0 ? TokenCrossEntropy.IGNORE : rng.nextInt(64);
    }
    return new TokenRows(ids, labels, 4, 8);
  }

  /** Full fine-tuning or LoRA on every projection with a random (non-zero) B. */
  private static AdaptedModel adapted(LlamaModel model, boolean lora) {
    if (!lora) {
      return FullFineTune.apply(model);
    }
    LoraModel adapted =
        LoraModel.apply(
            model, LoraConfig.builder().setR(4).setTargetModules(LoraConfig.ALL_LINEAR).build());
    SplittableRandom rng = new SplittableRandom(5);
    for (NamedArray a : adapted.trainableArrays()) {
      float[] values = new float[(int) a.array().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) rng.nextDouble(-0.2, 0.2);
      }
      a.array().set(FloatBuffer.wrap(values));
    }
    return adapted;
  }

  /** Loss and gradients of one single-device step; then the AdamW update with {@link #LR}. */
  private static double referenceStep(
      AdaptedModel model, TokenRows rows, Map<String, float[]> gradients) {
    Map<String, NDArray> trainable = new LinkedHashMap<>();
    model.trainableArrays().forEach(a -> trainable.put(a.name(), a.array()));
    try (NDManager step = model.base().manager().newSubManager()) {
      double loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        Shape shape = new Shape(rows.batch(), rows.seq());
        NDArray logits = model.logits(step.create(rows.inputIds(), shape), null);
        NDArray sum = TokenCrossEntropy.sum(logits, step.create(rows.labels(), shape));
        loss = sum.getFloat() / rows.trainedTokens();
        collector.backward(sum.mul(OwnedScalar.of(step, 1.0 / rows.trainedTokens())));
      }
      if (gradients != null) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (var e : trainable.entrySet()) {
          NDArray g = e.getValue().getGradient();
          g.attach(step);
          grads.put(e.getKey(), g);
          gradients.put(e.getKey(), g.toFloatArray());
        }
        try (NoGrad off = NoGrad.enter()) {
          new AdamW(trainable, AdamWConfig.DEFAULT).step(LR, grads);
        }
      }
      return loss;
    }
  }

  private static void assertMatches(
      boolean tied, boolean lora, Function<AdaptedModel, ParallelTraining> strategy)
      throws IOException {
    assertMatches(config(tied), lora, strategy);
  }

  private static void assertMatches(
      ModelConfig config, boolean lora, Function<AdaptedModel, ParallelTraining> strategy)
      throws IOException {
    TokenRows rows = rows();
    Map<String, float[]> expected = new LinkedHashMap<>();
    double loss;
    double lossAfter;
    ParallelStep first;
    ParallelStep second;
    try (LlamaModel model =
            LlamaModel.create(
                config, RandomWeights.everywhere(7, 0.1), Device.cpu(),
                ai.djl.ndarray.types.DataType.FLOAT32);
        AdaptedModel reference = adapted(model, lora);
        ParallelTraining parallel = strategy.apply(reference)) {
      first = parallel.step(rows, LR);
      second = parallel.step(rows, LR);
      loss = referenceStep(reference, rows, expected);
      lossAfter = referenceStep(reference, rows, null);
    }
    assertEquals(loss, first.loss(), TOLERANCE * loss, "loss");
    assertEquals(lossAfter, second.loss(), TOLERANCE * lossAfter, "loss after one update");
    assertEquals(expected.keySet(), first.gradients().keySet());
    for (var e : expected.entrySet()) {
      float[] want = e.getValue();
      float[] got = first.gradients().get(e.getKey());
      assertEquals(want.length, got.length, e.getKey());
      double scale = 0;
      for (float v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 0, e.getKey() + " has a zero gradient: the check would be empty");
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], TOLERANCE * scale, e.getKey() + "[" + i + "]");
      }
    }
  }

  @Test
  void dataParallelMatchesOneDevice() throws IOException {
    assertMatches(true, false, ref -> new DataParallel(ref, TWO));
    assertMatches(false, true, ref -> new DataParallel(ref, TWO));
  }

  @Test
  void pipelineParallelMatchesOneDevice() throws IOException {
    assertMatches(true, false, ref -> new PipelineParallel(ref, TWO, 2));
    assertMatches(false, true, ref -> new PipelineParallel(ref, TWO, 4));
  }

  @Test
  void tensorParallelMatchesOneDevice() throws IOException {
    assertMatches(true, false, ref -> new TensorParallel(ref, TWO));
    assertMatches(false, true, ref -> new TensorParallel(ref, TWO));
    // Qwen-style q/k/v biases are split with their rows.
    assertMatches(config(false, true), false, ref -> new TensorParallel(ref, TWO));
  }

  @Test
  void bytesMovedAreEachStrategysTransfers() throws IOException {
    ModelConfig config = config(false);
    long activation = 4L * 8 * 32 * 4; // (B, T, D) float32
    long norms = 2L * 2 * 32 * 4; // two norms a layer, two layers
    long parameters = config.parameterCount() * 4;
    try (LlamaModel model =
            LlamaModel.create(
                config, RandomWeights.everywhere(7, 0.1), Device.cpu(),
                ai.djl.ndarray.types.DataType.FLOAT32);
        AdaptedModel reference = FullFineTune.apply(model)) {
      try (ParallelTraining data = new DataParallel(reference, TWO)) {
        ParallelStep step = data.step(rows(), LR);
        // Every gradient to the first replica and the sum back.
        assertEquals(2 * parameters, step.bytesMoved());
        for (DeviceReport d : step.devices()) {
          assertEquals(parameters, d.parameterBytes());
          assertEquals(parameters, d.gradientBytes());
          assertEquals(2 * parameters, d.optimizerBytes());
          assertTrue(d.activationBytes() > activation / 2, d.toString());
        }
      }
      try (ParallelTraining pipeline = new PipelineParallel(reference, TWO, 2)) {
        ParallelStep step = pipeline.step(rows(), LR);
        // Each half-batch's boundary activation forward and its gradient back.
        assertEquals(2 * activation, step.bytesMoved());
        assertTrue(step.bubble() > 0 && step.bubble() < 1, "bubble " + step.bubble());
        long sum = step.devices().stream().mapToLong(DeviceReport::parameterBytes).sum();
        assertEquals(parameters, sum, "the stages' parameters add up to the model");
      }
      try (ParallelTraining tensor = new TensorParallel(reference, TWO)) {
        ParallelStep step = tensor.step(rows(), LR);
        // Per branch: the input out and the partial sum back, forward and backward; then the
        // replicated norms' gradients gathered and returned.
        assertEquals(2L * 2 * 2 * 2 * activation + 2 * norms, step.bytesMoved());
        assertEquals(0, step.bubble());
      }
    }
  }

  @Test
  void gpipeScheduleGivesTheTextbookBubble() {
    for (int p = 1; p <= 4; p++) {
      for (int m = 1; m <= 8; m *= 2) {
        assertEquals((p - 1.0) / (m + p - 1), PipelineSchedule.uniform(p, m).bubble(), 1e-12);
      }
    }
    // An uneven stage: the fast stage waits on the slow one.
    double[][] f = {{1, 1}, {3, 3}};
    assertEquals(1 - 16.0 / (2 * 14), PipelineSchedule.gpipe(f, f).bubble(), 1e-12);
  }
}
