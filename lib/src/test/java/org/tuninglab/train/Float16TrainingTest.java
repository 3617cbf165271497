package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;

/**
 * Mixed-precision training of the real decoder in float16, on the CPU (libtorch's CPU kernels
 * support float16; slowly, hence the tiny model). The loop, the model and the optimizer are the
 * ones a GPU run uses; only the device differs.
 */
class Float16TrainingTest {
  private static TinySft sft;
  private static EncodedDataset data;

  @BeforeAll
  static void setUp() throws IOException {
    sft = new TinySft();
    data = sft.encode(TinySft.examples(16, 0));
  }

  @AfterAll
  static void tearDown() {
    sft.close();
  }

  private static LlamaModel model(DataType dtype) throws IOException {
    RandomWeights weights = RandomWeights.forTraining(7, 0.02);
    return LlamaModel.create(TinySft.CONFIG, weights, Device.cpu(), dtype);
  }

  private static TrainerConfig.Builder base() {
    return TrainerConfig.builder()
        .optLr(1e-2).optSchedule(ScheduleKind.CONSTANT).optBatchSize(4).optSeed(3);
  }

  /** Records each step's report. */
  private static class Steps implements TrainingListener {
    final List<StepReport> reports = new ArrayList<>();

    @Override
    public void onStep(StepReport report) {
      reports.add(report);
    }
  }

  /**
   * The same model, data and settings in float32 and in float16 with loss scaling: the float16
   * losses stay within 0.05 of the float32 ones over 10 steps and fall as they do (measured: equal
   * to 1e-5 at step 1, the gap growing with the compounded float16 rounding to at most 0.021); no
   * step overflows at the default scale.
   */
  @Test
  void float16LossesTrackFloat32AndFall() throws IOException {
    List<Double> fp32;
    try (LlamaModel model = model(DataType.FLOAT32)) {
      fp32 = sft.trainer(model, data, base().optMaxSteps(10).build()).build().fit().losses();
    }
    try (LlamaModel model = model(DataType.FLOAT16)) {
      TrainingResult half =
          sft.trainer(model, data, base().optMaxSteps(10).optLossScaling(true).build())
              .build().fit();
      assertEquals(StopReason.COMPLETED, half.reason(), half.message());
      assertEquals(List.of(), half.skippedSteps());
      List<Double> fp16 = half.losses();
      for (int i = 0; i < 10; i++) {
        String where = "step " + (i + 1) + ": " + fp32 + " vs " + fp16;
        assertEquals(fp32.get(i), fp16.get(i), 0.05, where);
      }
      assertTrue(fp16.get(9) < fp16.get(0) - 1.0, fp16.toString());
      model.namedArrays().values().forEach(a -> assertEquals(DataType.FLOAT16, a.getDataType()));
    }
  }

  /** LoRA on a float16 base: the adapters learn, every frozen weight stays bit for bit. */
  @Test
  void loraInFloat16LeavesTheFrozenWeightsUnchanged() throws IOException {
    LoraConfig lora =
        LoraConfig.builder().setR(4).setTargetModules("q_proj", "v_proj").optSeed(5).build();
    try (LlamaModel model = model(DataType.FLOAT16);
        LoraModel adapted = LoraModel.apply(model, lora)) {
      Map<String, float[]> before = baseWeights(model);
      TrainingResult result =
          sft.trainer(model, data, base().optMaxSteps(6).optLossScaling(true).build())
              .setAdaptedModel(adapted).build().fit();
      assertEquals(StopReason.COMPLETED, result.reason(), result.message());
      List<Double> losses = result.losses();
      assertTrue(losses.get(5) < losses.get(0) - 0.02, losses.toString());
      Map<String, float[]> after = baseWeights(model);
      assertEquals(before.keySet(), after.keySet());
      before.forEach((name, values) -> assertArrayEquals(values, after.get(name), 0f, name));
      NDArray b = adapted.layers().values().iterator().next().loraB();
      assertEquals(DataType.FLOAT16, b.getDataType());
      assertTrue(b.abs().max().toType(DataType.FLOAT32, false).getFloat() > 0, "lora_B trained");
    }
  }

  private static Map<String, float[]> baseWeights(LlamaModel model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    model.namedArrays().forEach((name, a) -> {
      if (!name.contains("lora_")) {
        values.put(name, a.toType(DataType.FLOAT32, false).toFloatArray());
      }
    });
    return values;
  }

  /**
   * A loss scale of 2^30 overflows the float16 gradients: those steps are skipped (the weights
   * stay as they were) and each halves the scale; at 2^17 (step 14) training proceeds, and a
   * later overflow is skipped the same way. The skipped steps are reported in the result and its
   * message.
   */
  @Test
  void overflowSkipsStepsAndHalvesTheScale() throws IOException {
    try (LlamaModel model = model(DataType.FLOAT16)) {
      NDArray embed = model.namedArrays().values().iterator().next();
      float[] initial = embed.toType(DataType.FLOAT32, false).toFloatArray();
      List<float[]> weightsAfter = new ArrayList<>();
      Steps steps =
          new Steps() {
            @Override
            public void onStep(StepReport report) {
              super.onStep(report);
              weightsAfter.add(embed.toType(DataType.FLOAT32, false).toFloatArray());
            }
          };
      TrainingResult result =
          sft.trainer(model, data,
                  base().optMaxSteps(20).optLossScaling(true).optInitialLossScale(0x1p30).build())
              .optListener(steps).build().fit();
      assertEquals(StopReason.COMPLETED, result.reason(), result.message());
      List<Long> skipped = result.skippedSteps();
      assertTrue(skipped.size() >= 3, skipped.toString());
      double scale = 0x1p30;
      for (int i = 0; i < steps.reports.size(); i++) {
        StepReport r = steps.reports.get(i);
        assertEquals(scale, r.lossScale(), "step " + r.step());
        assertEquals(skipped.contains(r.step()), r.skipped());
        if (r.skipped()) {
          assertTrue(Double.isNaN(r.gradNorm()));
          float[] previous = i == 0 ? initial : weightsAfter.get(i - 1);
          assertArrayEquals(previous, weightsAfter.get(i), 0f, "a skipped step leaves the weights");
          scale /= 2;
        }
      }
      // Overflow from the start until the scale is down to 2^17.
      for (int i = 0; i < 13; i++) {
        assertEquals(i + 1, skipped.get(i), skipped.toString());
      }
      assertFalse(steps.reports.get(13).skipped(), skipped.toString());
      assertEquals(0x1p17, steps.reports.get(13).lossScale());
      assertTrue(result.message().contains(skipped.size() + " step(s) skipped"), result.message());
      List<Double> losses = result.losses();
      assertTrue(losses.get(19) < losses.get(13) - 0.3, losses.toString());
    }
  }

  /**
   * A float16 run stopped after 3 steps and resumed by fresh objects ends bit for bit where an
   * uninterrupted one does: the checkpoint holds the float32 masters and the loss-scaler state
   * (the scale doubles every 2 good steps here, so it changes across the stop).
   */
  @Test
  void resumedFloat16RunEqualsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
    TrainerConfig.Builder config =
        base().optLr(2e-3).optLossScaling(true).optInitialLossScale(1024)
            .optLossScaleGrowthInterval(2);
    List<Double> straight;
    Map<String, float[]> straightWeights;
    try (LlamaModel model = model(DataType.FLOAT16)) {
      TrainerConfig straightRun =
          config.optMaxSteps(6).optOutputDir(tmp.resolve("straight")).build();
      straight = sft.trainer(model, data, straightRun)
          .build().fit().losses();
      straightWeights = baseWeights(model);
    }
    Path stopped = tmp.resolve("stopped");
    Steps resumedSteps = new Steps();
    try (LlamaModel model = model(DataType.FLOAT16)) {
      sft.trainer(model, data, config.optMaxSteps(3).optOutputDir(stopped).build()).build().fit();
    }
    Path checkpoint = stopped.resolve("checkpoint-3");
    try (NDManager m = NDManager.newBaseManager();
        InputStream in = Files.newInputStream(checkpoint.resolve(TrainingCheckpoints.OPTIMIZER))) {
      NDList state = NDList.decode(m, in);
      NDArray master = state.get("master.model.embed_tokens.weight");
      assertEquals(DataType.FLOAT32, master.getDataType(), "the checkpoint holds float32 masters");
    }
    assertEquals(2048.0, TrainingCheckpoints.readState(checkpoint).lossScale());
    try (LlamaModel model = model(DataType.FLOAT16)) {
      List<Double> resumed =
          sft.trainer(model, data, config.optMaxSteps(6).optOutputDir(stopped).build())
              .optListener(resumedSteps).build().fit().losses();
      assertEquals(straight.subList(3, 6), resumed);
      Map<String, float[]> weights = baseWeights(model);
      straightWeights.forEach(
          (name, values) -> assertArrayEquals(values, weights.get(name), 0f, name));
      assertEquals(2048.0, resumedSteps.reports.get(0).lossScale());
    }
  }
}
