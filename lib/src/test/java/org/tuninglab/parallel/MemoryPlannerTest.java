package org.tuninglab.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;

class MemoryPlannerTest {
  /** V 10, D 4, F 8, one layer, 2 query heads over 1 key/value head of size 2, untied head. */
  private static final ModelConfig HAND =
      ModelConfig.builder().setVocabSize(10).setHiddenSize(4).setIntermediateSize(8)
          .setNumLayers(1).setNumHeads(2).optNumKvHeads(1).build();

  private static final GpuMemory HOST = new GpuMemory("host", Long.MAX_VALUE);

  private static MemoryPlan plan(MethodSpec method, ComputeDtype dtype) {
    return MemoryPlanner.plan(
        HAND, new PlanSettings(method, dtype, OptimizerKind.ADAMW, 1, 2, false), HOST);
  }

  /*
   * Hand count, B 1, T 2 (N = 2 positions), float32 (b = 4).
   * Parameters: embed 10*4 = 40; layer: q 4*4 = 16, k 4*2 = 8, v 8, o 16, MLP 3*4*8 = 96, norms 8
   * -> 152; final norm 4; lm_head 40. Total 236.
   * Step (once): ids, mask, labels 3*2*8 = 48; embeddings 2*4*4 = 32; causal mask 1*2*2*4 = 16;
   * positions 2*8 = 16 + cos, sin 2*2*2*4 = 32. -> 144.
   * Layer: RMSNorm 2*4*(4+4+4) + 3*2*4 = 120, twice 240; q,k,v 2*(4+2+2)*4 = 64; rotary
   * 4*2*(4+2)*4 = 192; grouped q copy 2*4*4 = 32; k, v copies 2*2*2*4 = 32; scores (B*H*T*T = 8)
   * and *scale 2*8*4 = 64; +mask, softmax 64; p*v, merge 2*2*4*4 = 64; o_proj, add 64; MLP
   * 5*2*8*4 = 320; down, add 64. -> 1200.
   * Head: RMSNorm 120; logits 2*10*4 = 80; log-softmax 80; loss 2*29 = 58. -> 338.
   * Activations 144 + 1200 + 338 = 1682.
   */
  @Test
  void fullFineTuneInFloat32MatchesTheHandCount() {
    MemoryPlan p = plan(MethodSpec.full(), ComputeDtype.FP32);
    assertEquals(236, p.trainableParameters());
    assertEquals(236 * 4, p.weightsBytes());
    assertEquals(236 * 4, p.gradientsBytes());
    assertEquals(2 * 236 * 4, p.optimizerBytes());
    assertEquals(1682, p.activationsBytes());
    // Backward: head 80 + 80 + lm_head weight-gradient temporary 10*4*4 = 320 (attention 8*8 = 64).
    assertEquals(320, p.inventory().backwardBytes());
    // AdamW's 4 float32 temporaries of one parameter at a time, the largest the embedding or the
    // head (10*4 = 40 values): 40*16 = 640, under 1682 + 320 = 2002.
    assertEquals(640, p.inventory().optimizerBytes());
    assertEquals(944 + 944 + 1888 + 2002, p.totalBytes());
    assertEquals(p.totalBytes() - p.staticBytes() - 1682, p.workspaceBytes());
  }

  /*
   * LoRA r 1, alpha 1 (scaling 1: no scale multiply), no dropout, on q_proj (4 -> 4) and v_proj
   * (4 -> 2): trainable 1*(4+4) + 1*(4+2) = 14; all 236 + 14 = 250.
   * Branches: q: x A^T 2*1*4 = 8, B and + base 2*2*4*4 = 64 -> 72; v: 8 + 2*2*2*4 = 40. -> 112.
   * Activations 1682 + 112 = 1794; backward 80 + 80 = 160 (the head is frozen); optimizer
   * temporaries of the largest tensor (q's A or B, 4 values) 4*16 = 64. Peak: 1000 + 56 + 112 +
   * 1794 + 160.
   */
  @Test
  void loraInFloat32MatchesTheHandCount() {
    LoraConfig lora =
        LoraConfig.builder().setR(1).optAlpha(1).setTargetModules(List.of("q_proj", "v_proj")).build();
    MemoryPlan p = plan(MethodSpec.lora(lora), ComputeDtype.FP32);
    assertEquals(14, p.trainableParameters());
    assertEquals(250 * 4, p.weightsBytes());
    assertEquals(14 * 4, p.gradientsBytes());
    assertEquals(2 * 14 * 4, p.optimizerBytes());
    assertEquals(1794, p.activationsBytes());
    assertEquals(160, p.inventory().backwardBytes());
    assertEquals(64, p.inventory().optimizerBytes());
    assertEquals(1000 + 56 + 112 + 1794 + 160, p.totalBytes());
  }

  /*
   * float16 (b = 2), full: weights and gradients 236*2 = 472 each; AdamW moments and float32
   * masters 236*4*3 = 2832.
   * Step: 48 + embeddings 16 + mask 16 + positions 16 + cos, sin 16 -> 112.
   * Layer: RMSNorm 2*4*(4+4+4+2+2) + 24 = 152, twice 304; q,k,v 32; rotary 96; q copy 16; k, v
   * copies 16; scores, *scale 2*8*2 = 32; casts 8*(4+2) = 48; +mask, softmax (float32) 64; p*v,
   * merge 32; o_proj, add 32; MLP 160; down, add 32. -> 864.
   * Head: RMSNorm 152; logits 2*10*(2+4) = 120; log-softmax 80; loss 58. -> 410.
   * Activations 112 + 864 + 410 = 1386. Optimizer phase: the trainer's float32 gradient copies
   * 236*4 = 944, and for the largest tensor (40 values) AdamW's 4 float32 temporaries and its
   * master rounded to float16, 40*(16+2) = 720: 1664, under 1386 + 280 = 1666.
   */
  @Test
  void fullFineTuneInFloat16MatchesTheHandCount() {
    MemoryPlan p = plan(MethodSpec.full(), ComputeDtype.FP16);
    assertEquals(472, p.weightsBytes());
    assertEquals(472, p.gradientsBytes());
    assertEquals(2832, p.optimizerBytes());
    assertEquals(1386, p.activationsBytes());
    // Backward: 80 + 80 + logits' gradient in float16 2*10*2 = 40 + lm_head temporary 10*4*2 = 80.
    assertEquals(280, p.inventory().backwardBytes());
    assertEquals(1664, p.inventory().optimizerBytes());
    assertEquals(472 + 472 + 2832 + 1666, p.totalBytes());
  }

  @Test
  void bf16PlansLikeFp16AndSgdKeepsNoMoments() {
    assertEquals(plan(MethodSpec.full(), ComputeDtype.FP16).totalBytes(),
        plan(MethodSpec.full(), ComputeDtype.BF16).totalBytes());
    MemoryPlan sgd = MemoryPlanner.plan(HAND,
        new PlanSettings(MethodSpec.full(), ComputeDtype.FP32, OptimizerKind.SGD, 1, 2, false), HOST);
    assertEquals(0, sgd.optimizerBytes());
  }

  @Test
  void largestMicroBatchFitsAndOneMoreDoesNot() {
    PlanSettings s =
        new PlanSettings(MethodSpec.full(), ComputeDtype.FP32, OptimizerKind.ADAMW, 1, 64, false);
    GpuMemory gpu = new GpuMemory("small", 2_000_000);
    MemoryPlan p = MemoryPlanner.plan(HAND, s, gpu);
    int max = p.maxMicroBatch();
    assertTrue(max > 1, "max " + max);
    assertTrue(MemoryPlanner.plan(HAND, s.withMicroBatch(max), gpu).fits());
    assertFalse(MemoryPlanner.plan(HAND, s.withMicroBatch(max + 1), gpu).fits());
    assertEquals(0, MemoryPlanner.plan(HAND, s, new GpuMemory("tiny", 1000)).maxMicroBatch());
  }

  @Test
  void checkpointingKeepsLayerInputsInsteadOfEveryLayer() {
    ModelConfig deep = ModelConfig.builder().setVocabSize(10).setHiddenSize(4)
        .setIntermediateSize(8).setNumLayers(6).setNumHeads(2).optNumKvHeads(1).build();
    PlanSettings off =
        new PlanSettings(MethodSpec.full(), ComputeDtype.FP32, OptimizerKind.ADAMW, 1, 2, false);
    PlanSettings on =
        new PlanSettings(MethodSpec.full(), ComputeDtype.FP32, OptimizerKind.ADAMW, 1, 2, true);
    long without = MemoryPlanner.plan(deep, off, HOST).activationsBytes();
    long with = MemoryPlanner.plan(deep, on, HOST).activationsBytes();
    // Without: 144 + 6 * 1200 + 338. With: 144 + 6 layer inputs (2*4*4 = 32) + one layer + 338.
    assertEquals(144 + 6 * 1200 + 338, without);
    assertEquals(144 + 6 * 32 + 1200 + 338, with);
  }

  @Test
  void qloraHoldsItsBaseInNf4AndKeepsOnlyTheRebuiltWeightsForBackward() {
    LoraConfig lora =
        LoraConfig.builder().setR(8).setTargetModules(List.of("q_proj", "v_proj")).build();
    ModelConfig c = ModelConfig.builder().setVocabSize(256).setHiddenSize(128)
        .setIntermediateSize(256).setNumLayers(2).setNumHeads(4).build();
    PlanSettings lo = new PlanSettings(MethodSpec.lora(lora), ComputeDtype.FP16,
        OptimizerKind.ADAMW, 2, 16, false);
    PlanSettings q = new PlanSettings(MethodSpec.qlora(lora), ComputeDtype.FP16,
        OptimizerKind.ADAMW, 2, 16, false);
    MemoryPlan loraPlan = MemoryPlanner.plan(c, lo, HOST);
    MemoryPlan qloraPlan = MemoryPlanner.plan(c, q, HOST);
    // Projections: per layer 4*128*128 + 3*128*256 = 163840 values, 2 layers: 327680. NF4 per
    // projection: 4 bits a value, a 1-byte absmax per 64 values, 4 bytes per 256 blocks, 4 more:
    // 128x128: 8192 + 256 + 4 + 4 = 8456; 128x256: 16384 + 512 + 8 + 4 = 16908.
    long projections = 327680;
    long nf4 = 2 * (4 * 8456 + 3 * 16908);
    assertEquals(loraPlan.weightsBytes() - 2 * projections + nf4, qloraPlan.weightsBytes());
    // Every forward rebuilds all projections and keeps them for backward, 2 bytes a value in fp16.
    assertEquals(projections * 2, qloraPlan.activationsBytes() - loraPlan.activationsBytes());
    // Their unpacking arrays are freed projection by projection: the largest (128x256, 32768
    // values in 512 blocks) at (24 + 2) bytes a value and 16 + 2 a block, more than the head's
    // gradients (32 positions x 256 x (4 + 4 + 2) = 81920).
    assertEquals(81920, loraPlan.inventory().backwardBytes());
    assertEquals(32768 * 26 + 512 * 18, qloraPlan.inventory().backwardBytes());
  }
}
