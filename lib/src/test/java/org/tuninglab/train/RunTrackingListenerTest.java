package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunLogger;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.RunStore;

/** The trainer's metrics land in the run store, and a logger that asks to stop stops training. */
class RunTrackingListenerTest {
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

  private static TrainerConfig config(Path out) {
    return TrainerConfig.builder().optLr(1e-2).optSchedule(ScheduleKind.CONSTANT).optBatchSize(4)
        .optSeed(3).optMaxSteps(6).optEvalEvery(2).optOutputDir(out).build();
  }

  @Test
  void everyStepAndEvaluationIsLoggedAndTheRunFinishes(@TempDir Path tmp) throws IOException {
    RunStore store = RunStore.open(tmp.resolve("store"));
    Run run = store.newRun().optName("tiny-sft").start();
    TrainingResult result;
    try (LlamaModel model = TinySft.model()) {
      result = sft.trainer(model, data, config(tmp.resolve("out")))
          .optHoldout(sft.encode(TinySft.examples(4, 100)))
          .optListener(new RunTrackingListener(run, true)).build().fit();
    }
    RunRecord record = store.run(run.id());
    List<Double> logged = record.history("train/loss").stream().map(p -> p.value()).toList();
    assertEquals(result.losses(), logged);
    assertEquals(3, record.history("eval/loss").size());
    assertEquals(result.evaluations().get(2).loss(), record.value("eval/loss").getAsDouble(), 0);
    assertEquals("completed", record.summary().get("stop_reason"));
    assertEquals("FINISHED", record.status().status().name());
    assertTrue(record.artifacts().containsKey("best_checkpoint"), record.artifacts().toString());
  }

  @Test
  void aLoggerThatAsksToStopEndsTrainingAfterThatStep(@TempDir Path tmp) throws IOException {
    RunStore store = RunStore.open(tmp.resolve("store"));
    Run run = store.newRun().optName("pruned").start();
    RunLogger pruneAfterThree = new RunLogger() {
      private long steps;

      @Override
      public RunLogger log(long step, String name, double value) {
        steps = Math.max(steps, step);
        run.log(step, name, value);
        return this;
      }

      @Override
      public boolean shouldStop() {
        return steps >= 3;
      }

      @Override
      public Run run() {
        return run;
      }
    };
    try (LlamaModel model = TinySft.model()) {
      TrainingResult result = sft.trainer(model, data, config(tmp.resolve("out")))
          .optListener(new RunTrackingListener(pruneAfterThree, false)).build().fit();
      assertEquals(StopReason.STOPPED, result.reason());
      assertEquals(3, result.steps());
      assertTrue(result.lastCheckpoint().toString().endsWith("checkpoint-3"), result.lastCheckpoint().toString());
    }
    run.finish(java.util.Map.of());
    assertEquals(3, store.run(run.id()).history("train/loss").size());
  }
}
