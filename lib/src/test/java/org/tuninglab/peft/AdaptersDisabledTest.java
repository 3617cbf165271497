package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.LlamaModel;

/** The scoped switch that runs a LoRA model as its base: the reference model of DPO. */
class AdaptersDisabledTest {

  private static LoraConfig allLinear() {
    return LoraConfig.builder().setR(4).optAlpha(8).setTargetModules("all-linear").optSeed(5).build();
  }

  private static float[] baseLogits(LlamaModel model) {
    try (NDManager m = model.manager().newSubManager()) {
      return model.forward(TinyModels.ids(m), null, null).toFloatArray();
    }
  }

  @Test
  void insideTheScopeTheLogitsAreTheBasesAndAfterItTheAdaptersReturn() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      float[] base = baseLogits(model);
      try (LoraModel lora = LoraModel.apply(model, allLinear())) {
        TinyModels.sgd(lora, 3, 0.5f);
        float[] adapted = TinyModels.logits(lora);
        assertTrue(TinyModels.maxAbsDiff(base, adapted) > 1e-3, "training moved the adapters");
        try (AdaptersDisabled off = lora.adaptersDisabled()) {
          assertFalse(lora.adaptersEnabled());
          assertArrayEquals(base, TinyModels.logits(lora));
        }
        assertTrue(lora.adaptersEnabled());
        assertArrayEquals(adapted, TinyModels.logits(lora));
      }
    }
  }

  @Test
  void aMergedModelIsUnmergedInsideAndMergedAgainAfter() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      float[] base = baseLogits(model);
      try (LoraModel lora = LoraModel.apply(model, allLinear())) {
        TinyModels.sgd(lora, 3, 0.5f);
        float[] adapted = TinyModels.logits(lora);
        lora.merge();
        try (AdaptersDisabled off = lora.adaptersDisabled()) {
          assertTrue(TinyModels.maxAbsDiff(base, TinyModels.logits(lora)) < 1e-5);
        }
        assertTrue(lora.layers().values().stream().allMatch(LoraLinear::isMerged));
        assertTrue(TinyModels.maxAbsDiff(adapted, TinyModels.logits(lora)) < 1e-5);
      }
    }
  }

  @Test
  void nestedScopesLeaveDisabledAdaptersDisabled() throws IOException {
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, allLinear())) {
      lora.disableAdapters();
      try (AdaptersDisabled off = lora.adaptersDisabled()) {
        assertFalse(lora.adaptersEnabled());
      }
      assertFalse(lora.adaptersEnabled());
    }
  }
}
