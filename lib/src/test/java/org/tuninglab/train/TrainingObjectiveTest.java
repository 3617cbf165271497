package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.score.ForwardPass;

/** The loop trains any objective: SFT's is the default, another plugs in with its own weights and metrics. */
class TrainingObjectiveTest {
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

  private static TrainerConfig config() {
    return TrainerConfig.builder().optLr(1e-2).optSchedule(ScheduleKind.CONSTANT).optBatchSize(4)
        .optGradAccumulation(2).optMaxSteps(4).optEvalEvery(2).optSeed(3).build();
  }

  @Test
  void theDefaultObjectiveIsSftsTokenCrossEntropy() throws IOException {
    List<Double> byDefault;
    try (LlamaModel model = TinySft.model()) {
      byDefault = sft.trainer(model, data, config()).build().fit().losses();
    }
    List<Double> explicit;
    try (LlamaModel model = TinySft.model()) {
      explicit =
          Trainer.builder(new SftObjective(sft.collator))
              .setForward(ForwardPass.of(model))
              .setTrainable(model.namedArrays())
              .setManager(model.manager())
              .setTrainData(data.examples())
              .setConfig(config())
              .build()
              .fit()
              .losses();
    }
    assertEquals(byDefault, explicit);
  }

  /** Each example weighs one (as a preference pair does) and reports a metric per step and evaluation. */
  @Test
  void anotherObjectiveBringsItsOwnWeightsAndMetrics() throws IOException {
    SftObjective tokens = new SftObjective(sft.collator);
    TrainingObjective<EncodedExample> perExample =
        new TrainingObjective<>() {
          @Override
          public long weight(EncodedExample e) {
            return 1;
          }

          @Override
          public int length(EncodedExample e) {
            return e.length();
          }

          @Override
          public Loss loss(ForwardPass model, List<EncodedExample> examples, NDManager scope) {
            double n = examples.size();
            // The micro-batch's summed per-example means, so the update averages over examples.
            Loss sum = tokens.loss(model, examples, scope);
            long trained = examples.stream().mapToLong(tokens::weight).sum();
            return new Loss(
                sum.sum().mul(OwnedScalar.of(scope, (float) (n / trained))), Map.of("examples", n));
          }

          @Override
          public Evaluation evaluate(
              ForwardPass model, List<EncodedExample> holdout, int batchSize, NDManager manager) {
            Evaluation e = tokens.evaluate(model, holdout, batchSize, manager);
            return new Evaluation(e.loss(), holdout.size(), Map.of("scored", (double) holdout.size()));
          }
        };
    List<StepReport> steps = new ArrayList<>();
    List<EvalReport> evals = new ArrayList<>();
    TrainingResult result;
    try (LlamaModel model = TinySft.model()) {
      result =
          Trainer.builder(perExample)
              .setForward(ForwardPass.of(model))
              .setTrainable(model.namedArrays())
              .setManager(model.manager())
              .setTrainData(data.examples())
              .optHoldout(data.examples().subList(0, 4))
              .setConfig(config())
              .optListener(new TrainingListener() {
                @Override
                public void onStep(StepReport r) {
                  steps.add(r);
                }

                @Override
                public void onEvaluation(EvalReport r) {
                  evals.add(r);
                }
              })
              .build()
              .fit();
    }
    assertEquals(StopReason.COMPLETED, result.reason(), result.message());
    assertEquals(4, steps.size());
    // Each micro-batch reports its four examples; the update's sum (8) over its weight (8, one an
    // example) is the metric's mean per unit.
    steps.forEach(s -> assertEquals(1.0, s.metrics().get("examples"), 1e-12, s.toString()));
    assertEquals(2, evals.size());
    assertEquals(4, evals.get(0).tokens());
    assertEquals(4.0, evals.get(0).metrics().get("scored"));
    assertTrue(result.losses().get(3) < result.losses().get(0), result.losses().toString());
  }

  @Test
  void encodedSftDataIsRefusedByAnotherObjective() {
    TrainingObjective<String> other =
        new TrainingObjective<>() {
          @Override
          public long weight(String e) {
            return 1;
          }

          @Override
          public int length(String e) {
            return e.length();
          }

          @Override
          public Loss loss(ForwardPass model, List<String> examples, NDManager scope) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Evaluation evaluate(
              ForwardPass model, List<String> holdout, int batchSize, NDManager manager) {
            throw new UnsupportedOperationException();
          }
        };
    assertThrows(IllegalArgumentException.class, () -> Trainer.builder(other).setTrainData(data));
  }
}
