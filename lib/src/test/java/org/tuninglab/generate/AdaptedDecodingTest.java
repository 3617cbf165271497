package org.tuninglab.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;
import org.tuninglab.score.NoGrad;
import org.tuninglab.testing.CharTokenizer;

/**
 * One decode loop for every method: each adapted model decodes the same with and without the KV
 * cache, and both equal greedy argmax over its training forward pass recomputed token by token.
 */
class AdaptedDecodingTest {
  private static final int[] PROMPT = {5, 9, 14, 3};
  private static final int TOKENS = 12;

  @Test
  void everyMethodDecodesLikeItsTrainingForward() throws IOException {
    ModelConfig config =
        ModelConfig.builder().setVocabSize(64).setHiddenSize(32).setIntermediateSize(64)
            .setNumLayers(2).setNumHeads(4).optNumKvHeads(2).build();
    LoraConfig lora = LoraConfig.builder().setR(4).setTargetModules("q_proj", "v_proj").build();
    PromptTuningConfig prompt =
        PromptTuningConfig.builder().setNumVirtualTokens(3).optInit(PromptInit.RANDOM).build();
    for (MethodSpec method :
        List.of(MethodSpec.lora(lora), MethodSpec.qlora(lora), MethodSpec.promptTuning(prompt))) {
      try (LlamaModel model =
              LlamaModel.create(config, RandomWeights.everywhere(3, 0.5), Device.cpu(), DataType.FLOAT32);
          AdaptedModel adapted = method.apply(model, null)) {
        perturbAdapters(adapted);
        Generator generator = new Generator(adapted, new CharTokenizer());
        GenerationConfig greedy = GenerationConfig.builder().optMaxNewTokens(TOKENS).build();
        int[] cached = generator.generate(PROMPT, greedy).tokens();
        int[] full = generator.generate(PROMPT, greedy.toBuilder().optUseCache(false).build()).tokens();
        assertArrayEquals(full, cached, method.name());
        assertArrayEquals(argmaxLoop(adapted), cached, method.name());
        assertEquals(TOKENS, cached.length, method.name());
      }
    }
  }

  /** LoRA's B starts at zero, which would decode like the base: give every trainable array noise. */
  private static void perturbAdapters(AdaptedModel adapted) {
    try (NoGrad off = NoGrad.enter()) {
      adapted.trainableArrays().forEach(a -> {
        NDArray x = a.array();
        x.addi(x.getManager().randomNormal(0, 0.5f, x.getShape(), x.getDataType()));
      });
    }
  }

  /** Greedy decoding by recomputing the training forward pass over the whole sequence. */
  private static int[] argmaxLoop(AdaptedModel adapted) {
    int[] ids = Arrays.copyOf(PROMPT, PROMPT.length + TOKENS);
    for (int length = PROMPT.length; length < ids.length; length++) {
      try (NoGrad off = NoGrad.enter();
          NDManager scope = adapted.base().manager().newSubManager()) {
        long[] row = Arrays.stream(ids, 0, length).asLongStream().toArray();
        NDArray logits = adapted.logits(scope.create(row, new Shape(1, length)), null); // (1, T, V)
        ids[length] = (int) logits.get("0, -1").argMax().getLong();
      }
    }
    return Arrays.copyOfRange(ids, PROMPT.length, ids.length);
  }
}
