package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Embedding;
import ai.djl.ndarray.types.SparseFormat;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.RandomWeights;

/**
 * The float16 path (meant for GPUs) shares the loop: loss scaling, unscaling and float32 moments.
 *
 * <p>A bigram model stands in for the decoder here: DJL's {@code toType} does not carry gradients,
 * so a float16 model must widen its logits by type promotion (multiplying by a float32 one), as
 * this one does.
 */
class Float16TrainingTest {
  @Test
  void float16WithLossScalingTrainsWithTheSameLoop() throws IOException {
    try (TinySft sft = new TinySft();
        NDManager manager = NDManager.newBaseManager()) {
      int vocab = TinySft.CONFIG.vocabSize();
      RandomWeights init = RandomWeights.forTraining(1, 0.02);
      long[] shape = {vocab, 16};
      NDArray embed = manager.create(init.read("embed", shape), new Shape(shape)).toType(DataType.FLOAT16, false);
      NDArray head = manager.create(init.read("head", shape), new Shape(shape)).toType(DataType.FLOAT16, false);
      ForwardPass bigram =
          (ids, mask) -> {
            NDArray x = Embedding.embedding(ids, embed, SparseFormat.DENSE).singletonOrThrow(); // (B, T, 16)
            NDArray logits = x.matMul(head.transpose()); // (B, T, V) float16
            return logits.mul(ids.getManager().ones(new Shape(1), DataType.FLOAT32)); // (B, T, V) float32
          };
      TrainerConfig config =
          TrainerConfig.builder().optLr(5e-2).optSchedule(ScheduleKind.CONSTANT).optBatchSize(4)
              .optMaxSteps(6).optLossScaling(true).build();
      TrainingResult result =
          Trainer.builder()
              .setForward(bigram)
              .setTrainable(Map.of("embed", embed, "head", head))
              .setManager(manager)
              .setCollator(sft.collator)
              .setTrainData(sft.encode(TinySft.examples(8, 0)))
              .setConfig(config)
              .build()
              .fit();
      assertEquals(StopReason.COMPLETED, result.reason());
      assertEquals(6, result.losses().size());
      assertTrue(result.losses().get(5) < result.losses().get(0) - 0.5, result.losses().toString());
      assertEquals(DataType.FLOAT16, embed.getDataType());
    }
  }
}
