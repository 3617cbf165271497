package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.score.ForwardPass;

class TrainerTest {
  /** The first and twelfth losses of the tiny run, as observed (CPU, float32). */
  private static final double PINNED_FIRST = 5.62561939380787;
  private static final double PINNED_LAST = 2.282380306359493;

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

  private static TrainerConfig.Builder base() {
    return TrainerConfig.builder().optLr(1e-2).optSchedule(ScheduleKind.CONSTANT).optBatchSize(4).optSeed(3);
  }

  @Test
  void lossFallsAndThePinnedLossReproduces() throws IOException {
    try (LlamaModel model = TinySft.model()) {
      TrainingResult result = sft.trainer(model, data, base().optMaxSteps(12).build()).build().fit();
      List<Double> losses = result.losses();
      assertEquals(StopReason.COMPLETED, result.reason());
      assertEquals(12, losses.size());
      assertTrue(losses.get(11) < losses.get(0) - 1, losses.toString());
      assertEquals(PINNED_FIRST, losses.get(0), 1e-5);
      assertEquals(PINNED_LAST, losses.get(11), 1e-5);
    }
  }

  /**
   * libtorch starts every thread with autograd on; a notebook kernel runs cells on threads other
   * than the one that started the engine. Training there must give the same losses.
   */
  @Test
  void trainingOnAFreshThreadGivesThePinnedLosses() throws Exception {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try (LlamaModel model = TinySft.model()) {
                outcome.set(sft.trainer(model, data, base().optMaxSteps(12).build()).build().fit());
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    worker.start();
    worker.join();
    if (outcome.get() instanceof Throwable t) {
      throw new AssertionError("training on a fresh thread failed", t);
    }
    List<Double> losses = ((TrainingResult) outcome.get()).losses();
    assertEquals(PINNED_FIRST, losses.get(0), 1e-5);
    assertEquals(PINNED_LAST, losses.get(11), 1e-5);
  }

  @Test
  void accumulatedMicroBatchesEqualOneLargeBatch() throws IOException {
    try (LlamaModel large = TinySft.model();
        LlamaModel accumulated = TinySft.model()) {
      TrainerConfig.Builder config = base().optMaxSteps(1).optMaxGradNorm(0).optLr(1e-3);
      sft.trainer(large, data, config.optBatchSize(4).optGradAccumulation(1).build()).build().fit();
      sft.trainer(accumulated, data, config.optBatchSize(1).optGradAccumulation(4).build()).build().fit();
      Map<String, NDArray> a = large.namedArrays();
      Map<String, NDArray> b = accumulated.namedArrays();
      float maxDiff = 0;
      for (String name : a.keySet()) {
        maxDiff = Math.max(maxDiff, a.get(name).sub(b.get(name)).abs().max().getFloat());
      }
      assertTrue(maxDiff < 1e-6, "largest parameter difference " + maxDiff);
      NDArray before = TinySft.model().namedArrays().get("model.norm.weight");
      assertTrue(a.get("model.norm.weight").sub(before).abs().max().getFloat() > 1e-4, "the step moved the weights");
    }
  }

  @Test
  void resumingAfterACrashGivesTheLossesOfAStraightRun(@TempDir Path tmp) throws IOException {
    TrainerConfig.Builder config = base().optMaxSteps(6).optCheckpointEvery(3).optSchedule(ScheduleKind.COSINE).optWarmupSteps(1);
    List<Double> straight;
    try (LlamaModel model = TinySft.model()) {
      straight = sft.trainer(model, data, config.optOutputDir(tmp.resolve("straight")).build()).build().fit().losses();
    }
    Path crashed = tmp.resolve("crashed");
    TrainingListener crash =
        new TrainingListener() {
          @Override
          public void onCheckpoint(Path dir, long step) {
            throw new IllegalStateException("simulated crash after step " + step);
          }
        };
    try (LlamaModel model = TinySft.model()) {
      Trainer first = sft.trainer(model, data, config.optOutputDir(crashed).build()).optListener(crash).build();
      assertThrows(IllegalStateException.class, first::fit);
    }
    try (LlamaModel fresh = TinySft.model()) {
      TrainingResult resumed = sft.trainer(fresh, data, config.optOutputDir(crashed).build()).build().fit();
      assertEquals(6, resumed.steps());
      assertEquals(3, resumed.losses().size());
      for (int i = 0; i < 3; i++) {
        assertEquals(straight.get(3 + i), resumed.losses().get(i), 1e-6);
      }
      assertEquals(crashed.resolve("checkpoint-6"), resumed.lastCheckpoint());
    }
  }

  /**
   * LoRA with dropout, stopped after 2 steps and resumed by fresh objects: the resumed steps must
   * draw the dropout masks the straight run drew (the schedule is constant, so stopping early
   * changes nothing else).
   */
  @Test
  void resumingWithDropoutReplaysTheSameRandomness(@TempDir Path tmp) throws IOException {
    LoraConfig lora = LoraConfig.builder().setR(4).setTargetModules("q_proj", "v_proj").optDropout(0.3).optSeed(5).build();
    TrainerConfig.Builder config = base().optMaxSteps(4).optCheckpointEvery(2);
    List<Double> straight;
    try (LlamaModel model = TinySft.model();
        LoraModel adapted = LoraModel.apply(model, lora)) {
      straight = sft.trainer(model, data, config.optOutputDir(tmp.resolve("straight")).build())
          .setAdaptedModel(adapted).build().fit().losses();
    }
    Path stopped = tmp.resolve("stopped");
    try (LlamaModel model = TinySft.model();
        LoraModel adapted = LoraModel.apply(model, lora)) {
      sft.trainer(model, data, config.optOutputDir(stopped).optMaxSteps(2).build()).setAdaptedModel(adapted).build().fit();
    }
    try (LlamaModel model = TinySft.model();
        LoraModel adapted = LoraModel.apply(model, lora)) {
      List<Double> resumed =
          sft.trainer(model, data, config.optOutputDir(stopped).optMaxSteps(4).build())
              .setAdaptedModel(adapted).build().fit().losses();
      assertEquals(2, resumed.size());
      for (int i = 0; i < 2; i++) {
        assertEquals(straight.get(2 + i), resumed.get(i), 1e-6);
      }
    }
  }

  @Test
  void nonFiniteLossStopsAndKeepsTheLastGoodCheckpoint(@TempDir Path tmp) throws IOException {
    try (LlamaModel model = TinySft.model()) {
      int[] calls = {0};
      ForwardPass poisoned =
          new ForwardPass() {
            @Override
            public NDArray logits(NDArray ids, NDArray mask, KvCache cache) {
              NDArray logits = model.forward(ids, mask, cache);
              return ++calls[0] == 3 ? logits.mul(Float.NaN) : logits;
            }

            @Override
            public LlamaModel base() {
              return model;
            }
          };
      TrainingResult result =
          sft.trainer(model, data, base().optMaxSteps(5).optCheckpointEvery(1).optOutputDir(tmp).build())
              .setForward(poisoned)
              .build()
              .fit();
      assertEquals(StopReason.NON_FINITE, result.reason());
      assertEquals(2, result.steps());
      assertEquals(tmp.resolve("checkpoint-2"), result.lastCheckpoint());
      assertTrue(result.message().startsWith("stopped at step 3: the loss became NaN or infinite"), result.message());
      assertTrue(result.message().contains("Try a lower learning rate"), result.message());
      // The weights are still those of the last good checkpoint.
      try (LlamaModel reloaded = TinySft.model()) {
        Map<String, NDArray> saved = reloaded.namedArrays();
        TrainingCheckpoints.readArrays(tmp.resolve("checkpoint-2").resolve(TrainingCheckpoints.WEIGHTS), saved);
        for (var e : model.namedArrays().entrySet()) {
          assertArrayEquals(saved.get(e.getKey()).toFloatArray(), e.getValue().toFloatArray(), e.getKey());
        }
      }
    }
  }

  @Test
  void holdoutEvaluationTracksTheBestAndStopsEarly(@TempDir Path tmp) throws IOException {
    EncodedDataset holdout = sft.encode(TinySft.examples(4, 16));
    List<EvalReport> seen = new ArrayList<>();
    try (LlamaModel model = TinySft.model()) {
      TrainingResult result =
          sft.trainer(model, data, base().optLr(5e-2).optMaxSteps(40).optEvalEvery(2).optPatience(1).optOutputDir(tmp).build())
              .optHoldout(holdout)
              .optListener(new TrainingListener() {
                @Override
                public void onEvaluation(EvalReport report) {
                  seen.add(report);
                }
              })
              .build()
              .fit();
      // Pinned: the holdout loss improves at steps 2, 4 and 6, then not at step 8.
      assertEquals(StopReason.EARLY_STOPPED, result.reason());
      assertEquals(8, result.steps());
      assertEquals(4, result.evaluations().size());
      assertEquals(seen, result.evaluations());
      EvalReport best = result.evaluations().stream().filter(EvalReport::best).reduce((a, b) -> b).orElseThrow();
      assertEquals(6, best.step());
      assertEquals(tmp.resolve("checkpoint-6"), result.bestCheckpoint());
      assertEquals(tmp.resolve("checkpoint-8"), result.lastCheckpoint());
      assertTrue(Files.isDirectory(result.bestCheckpoint()));
      assertEquals(Math.exp(best.loss()), best.perplexity(), 1e-9);
      assertNotNull(result.message());
    }
  }

  @Test
  void badConfigsAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder().optGradAccumulation(0).build());
    assertEquals("gradAccumulation must be at least 1, got 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder().optLr(0).build());
  }

}
