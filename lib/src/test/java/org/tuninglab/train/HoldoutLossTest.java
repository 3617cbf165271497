package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.Batch;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.score.TokenLoss;

class HoldoutLossTest {
  /** Right padding with a mask leaves every real position's logits unchanged. */
  @Test
  void batchSizeAndPaddingDoNotChangeTheLoss() throws IOException {
    try (TinySft sft = new TinySft();
        LlamaModel model = TinySft.model()) {
      EncodedDataset data = sft.encode(TinySft.examples(6, 0));
      ForwardPass forward = ForwardPass.of(model);
      TokenLoss one = HoldoutLoss.compute(forward, sft.collator.batches(data, 1), model.manager());
      TokenLoss all = HoldoutLoss.compute(forward, sft.collator.batches(data, 6), model.manager());
      assertEquals(one.tokens(), all.tokens());
      assertEquals(one.mean(), all.mean(), 1e-5);
      try (NDManager scope = model.manager().newSubManager()) {
        Batch batch = sft.collator.collate(data.examples(), scope);
        float mean = TokenCrossEntropy.mean(forward.logits(batch.inputIds(), batch.attentionMask()), batch.labels()).getFloat();
        assertEquals(mean, all.mean(), 1e-5);
      }
      assertEquals(Math.exp(all.mean()), all.perplexity(), 1e-9);
    }
  }
}
