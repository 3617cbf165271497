package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.LlamaModel;

class FullFineTuneTest {

  @Test
  void everyArrayTrainsAndTheLossFalls() throws IOException {
    try (LlamaModel model = TinyModels.model(TinyModels.config(true));
        FullFineTune full = FullFineTune.apply(model)) {
      // Tied: the embedding doubles as the output head and is listed once.
      assertEquals(model.namedArrays().size(), full.trainableArrays().size());
      float[] losses = TinyModels.sgd(full, 5, 0.5f);
      assertTrue(losses[4] < losses[0] - 0.05, Arrays.toString(losses));
    }
  }
}
