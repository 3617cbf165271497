package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.ModelConfig;

/** The matmul FLOP count against a hand computation and pinned for the benchmark model. */
class StepFlopsTest {
  private static final Set<String> QV = Set.of("q_proj", "v_proj");

  @Test
  void tinyModelMatchesAHandCount() {
    // V 64, D 32, ffn 64, 2 layers, 4 heads of 8, 2 kv heads; T 16; LoRA r 4 on q and v.
    ModelConfig tiny =
        ModelConfig.builder().setVocabSize(64).setHiddenSize(32).setIntermediateSize(64)
            .setNumLayers(2).setNumHeads(4).optNumKvHeads(2).optMaxPositions(64).build();
    // Linear multiply-adds a token: q 32x32 + k 32x16 + v 32x16 + o 32x32 + gate, up, down 32x64
    // = 9216 a layer, 18432 for two, + lm_head 32x64 = 20480; x 2 FLOPs x 16 tokens = 655360.
    long linear = 655_360;
    // Attention: scores and values each 4 heads x 16 x 16 x 8 x 2 = 16384 a layer; two layers.
    long attention = 2 * 2 * 16_384;
    StepFlops full = StepFlops.fullFineTune(tiny, 16);
    assertEquals(linear + attention, full.forward());
    assertEquals(linear + 2 * attention, full.inputGradients()); // both operands of q k^T, P v
    assertEquals(linear, full.weightGradients());
    assertEquals(2_162_688, full.total());

    // LoRA a token and layer: q (32 -> 4 -> 32) 2 (128 + 128) = 512, v (32 -> 4 -> 16) 384.
    long adapters = 2 * 16 * (512 + 384);
    StepFlops lora = StepFlops.lora(tiny, 16, 4, QV);
    assertEquals(linear + attention + adapters, lora.forward());
    assertEquals(adapters, lora.weightGradients());
    // Nothing below the first block trains: its q, k, v input gradients (16 x 2 x 2048) are not
    // needed, nor q k^T's gradient for the frozen k, nor the adapters' A-side input gradients
    // there (16 x 2 x 2 x 128); the B side (2 x 4 x (32 + 16) a token) runs in both layers.
    long layer0Qkv = 16 * 2 * (1024 + 512 + 512);
    long firstBlockAttention = 16_384 + 2 * 16_384;
    long bSide = 2 * 16 * 2 * 4 * (32 + 16);
    long aSide = 16 * 2 * 2 * 4 * 32;
    assertEquals(
        linear - layer0Qkv + 2 * 2 * 16_384 + firstBlockAttention + bSide + aSide,
        lora.inputGradients());
    assertEquals(1_503_232, lora.total());
    assertEquals(1_503_232 / 2_162_688.0, StepFlops.loraFloor(tiny, 16, 4, QV), 1e-15);
  }

  @Test
  void benchModelFloorIsPinned() {
    StepFlops full = StepFlops.fullFineTune(ModelBenchmark.BENCH_CONFIG, 128);
    StepFlops lora = StepFlops.lora(ModelBenchmark.BENCH_CONFIG, 128, 8, QV);
    assertEquals(8_908_701_696L, full.total());
    assertEquals(6_060_244_992L, lora.total());
    assertEquals(0.68026, StepFlops.loraFloor(ModelBenchmark.BENCH_CONFIG, 128, 8, QV), 1e-5);
  }

  @Test
  void adaptingMoreProjectionsRaisesTheFloor() {
    double qv = StepFlops.loraFloor(ModelBenchmark.BENCH_CONFIG, 128, 8, QV);
    double all =
        StepFlops.loraFloor(
            ModelBenchmark.BENCH_CONFIG, 128, 8, Set.copyOf(StepFlops.PROJECTIONS));
    assertTrue(all > qv && all < 1, qv + " " + all);
  }

  @Test
  void rejectsUnknownTargetsAndRanks() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> StepFlops.lora(ModelBenchmark.BENCH_CONFIG, 128, 8, Set.of("qkv")));
    assertTrue(e.getMessage().contains("qkv") && e.getMessage().contains("q_proj"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> StepFlops.lora(ModelBenchmark.BENCH_CONFIG, 128, 0, QV));
  }
}
