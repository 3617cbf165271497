package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.DenseLinear;
import org.tuninglab.model.LlamaModel;

class LoraModelTest {

  private static LoraConfig qv() {
    return LoraConfig.builder()
        .setR(4)
        .optAlpha(8)
        .setTargetModules("q_proj", "v_proj")
        .optSeed(3)
        .build();
  }

  @Test
  void startsEqualToTheBaseAndAIsKaimingUniform() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      float[] before = TinyModels.logits(FullFineTune.apply(model));
      model.namedArrays().values().forEach(a -> a.setRequiresGradient(false));
      try (LoraModel lora = LoraModel.apply(model, qv())) {
        assertArrayEquals(before, TinyModels.logits(lora));
        assertEquals(4, lora.layers().size());
        float bound = (float) (1 / Math.sqrt(32));
        for (LoraLinear l : lora.layers().values()) {
          float[] a = l.loraA().toFloatArray();
          assertEquals(4 * 32, a.length);
          double maxAbs = 0;
          for (float v : a) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
          }
          assertTrue(maxAbs <= bound && maxAbs > bound / 2, "A in ±1/sqrt(in): max |A| " + maxAbs);
          assertEquals(0f, l.loraB().abs().max().getFloat());
        }
      }
    }
  }

  @Test
  void trainingLowersTheLossAndLeavesTheBaseBitForBit() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      Map<String, float[]> base = TinyModels.snapshot(model);
      try (LoraModel lora = LoraModel.apply(model, qv())) {
        float[] losses = TinyModels.sgd(lora, 6, 0.5f);
        assertTrue(losses[5] < losses[0] - 0.01, "losses " + java.util.Arrays.toString(losses));
        Map<String, float[]> after = TinyModels.snapshot(model);
        base.forEach((name, values) -> assertArrayEquals(values, after.get(name), name));
        assertEquals(8, lora.trainableArrays().size());
        assertEquals(
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
            lora.trainableArrays().get(0).name());
      }
    }
  }

  @Test
  void mergedEqualsUnmergedAndUnmergeRestoresTheBase() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      Map<String, float[]> base = TinyModels.snapshot(model);
      try (LoraModel lora = LoraModel.apply(model, qv())) {
        TinyModels.sgd(lora, 3, 0.5f);
        float[] unmerged = TinyModels.logits(lora);
        lora.merge();
        float[] merged = TinyModels.logits(lora);
        assertTrue(TinyModels.maxAbsDiff(unmerged, merged) < 1e-5);
        NDArray q =
            ((DenseLinear) lora.layers().get("model.layers.0.self_attn.q_proj").base()).weight();
        assertTrue(
            TinyModels.maxAbsDiff(
                    base.get("model.layers.0.self_attn.q_proj.weight"), q.toFloatArray())
                > 1e-4,
            "merging changed the weight");
        lora.unmerge();
        Map<String, float[]> restored = TinyModels.snapshot(model);
        base.forEach(
            (name, values) ->
                assertTrue(TinyModels.maxAbsDiff(values, restored.get(name)) <= 1e-6, name));
        assertTrue(TinyModels.maxAbsDiff(unmerged, TinyModels.logits(lora)) < 1e-5);
      }
    }
  }

  @Test
  void disablingAdaptersRunsTheBase() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      float[] base = TinyModels.logits(FullFineTune.apply(model));
      model.namedArrays().values().forEach(a -> a.setRequiresGradient(false));
      try (LoraModel lora = LoraModel.apply(model, qv())) {
        TinyModels.sgd(lora, 2, 0.5f);
        float[] adapted = TinyModels.logits(lora);
        assertTrue(TinyModels.maxAbsDiff(base, adapted) > 1e-4);
        lora.merge();
        lora.disableAdapters();
        assertFalse(lora.adaptersEnabled());
        assertTrue(TinyModels.maxAbsDiff(base, TinyModels.logits(lora)) <= 1e-6);
        lora.enableAdapters();
        // Unmerging leaves the base within float rounding of where it was.
        assertTrue(TinyModels.maxAbsDiff(adapted, TinyModels.logits(lora)) < 1e-5);
      }
    }
  }

  @Test
  void dropoutActsOnlyInTrainingAndIsSeeded() throws IOException {
    LoraConfig config =
        LoraConfig.builder()
            .setR(4)
            .setTargetModules("all-linear")
            .optDropout(0.5)
            .optSeed(5)
            .build();
    float[] first;
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, config)) {
      TinyModels.sgd(lora, 1, 0.5f); // makes B non-zero so dropout shows in the output
      float[] eval = TinyModels.logits(lora);
      assertArrayEquals(eval, TinyModels.logits(lora));
      lora.setTraining(true);
      first = TinyModels.logits(lora);
      assertTrue(TinyModels.maxAbsDiff(eval, first) > 1e-5, "dropout changes training outputs");
      assertTrue(
          TinyModels.maxAbsDiff(first, TinyModels.logits(lora)) > 1e-5, "a fresh mask each call");
    }
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, config)) {
      TinyModels.sgd(lora, 1, 0.5f);
      lora.setTraining(true);
      assertArrayEquals(first, TinyModels.logits(lora), "same seed, same masks");
    }
  }

  @Test
  void adaptersTakeTheModelsDtype() throws IOException {
    try (LlamaModel model =
            LlamaModel.create(
                TinyModels.config(false),
                org.tuninglab.model.RandomWeights.forTraining(7, 0.1),
                ai.djl.Device.cpu(),
                ai.djl.ndarray.types.DataType.FLOAT16);
        LoraModel lora = LoraModel.apply(model, qv())) {
      for (LoraLinear l : lora.layers().values()) {
        assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, l.loraA().getDataType());
        assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, l.loraB().getDataType());
      }
      assertEquals(2 * 12 * TinyModels.VOCAB, TinyModels.logits(lora).length);
    }
  }

  @Test
  void rsLoraScalesByTheSquareRootOfTheRank() {
    LoraConfig plain =
        LoraConfig.builder().setR(16).optAlpha(32).setTargetModules("q_proj").build();
    LoraConfig rs =
        LoraConfig.builder()
            .setR(16)
            .optAlpha(32)
            .setTargetModules("q_proj")
            .optUseRslora(true)
            .build();
    assertEquals(2.0, plain.scaling());
    assertEquals(8.0, rs.scaling());
  }

  @Test
  void allLinearTargetsEveryProjection() throws IOException {
    try (LlamaModel model = TinyModels.model();
        LoraModel lora =
            LoraModel.apply(
                model, LoraConfig.builder().setR(2).setTargetModules("all-linear").build())) {
      assertEquals(14, lora.layers().size());
    }
  }

  @Test
  void aTargetThatMatchesNothingListsTheModulesThatExist() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  LoraModel.apply(
                      model,
                      LoraConfig.builder().setR(2).setTargetModules("q_proj", "c_attn").build()));
      assertTrue(e.getMessage().contains("[c_attn]"), e.getMessage());
      assertTrue(
          e.getMessage()
              .contains("[down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj]"),
          e.getMessage());
      assertEquals(
          List.of(),
          List.copyOf(
              model.linearLayers().values().stream().filter(l -> l instanceof LoraLinear).toList()),
          "nothing was wrapped");
    }
  }

  @Test
  void badConfigValuesAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> LoraConfig.builder().setR(0).setTargetModules("q_proj").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> LoraConfig.builder().setR(4).setTargetModules("q_proj").optDropout(1).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> LoraConfig.builder().setR(4).setTargetModules(List.of()).build());
  }
}
