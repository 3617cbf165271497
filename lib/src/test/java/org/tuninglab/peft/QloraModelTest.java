package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.LlamaModel;

class QloraModelTest {
  @TempDir Path dir;

  private static LoraConfig config() {
    return LoraConfig.builder()
        .setR(4)
        .optAlpha(8)
        .setTargetModules("q_proj", "v_proj")
        .optSeed(3)
        .build();
  }

  /** Every stored array of the model (NF4 codes and scales included) as float values. */
  private static Map<String, float[]> stored(LlamaModel model) {
    Map<String, float[]> copy = new LinkedHashMap<>();
    model
        .namedArrays()
        .forEach((name, a) -> copy.put(name, a.toType(DataType.FLOAT32, true).toFloatArray()));
    return copy;
  }

  @Test
  void everyProjectionIsNf4AndTheOutputStaysCloseToTheBase() throws IOException {
    try (LlamaModel model = TinyModels.model()) {
      float[] base = TinyModels.logits(FullFineTune.apply(model));
      model.namedArrays().values().forEach(a -> a.setRequiresGradient(false));
      try (QloraModel qlora = QloraModel.apply(model, config())) {
        for (LinearLayer layer : model.linearLayers().values()) {
          LinearLayer b = layer instanceof LoraLinear l ? l.base() : layer;
          assertTrue(b instanceof Nf4Linear, b.getClass().getSimpleName());
        }
        float[] quantized = TinyModels.logits(qlora);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < base.length; i++) {
          diff += (base[i] - quantized[i]) * (base[i] - quantized[i]);
          norm += base[i] * base[i];
        }
        double relative = Math.sqrt(diff / norm);
        // NF4 moves each Gaussian weight by ~9% RMS; through 14 random projections that is ~20%.
        assertTrue(relative > 0.01 && relative < 0.3, "quantisation moves logits: " + relative);
        // 14 projections, each 4 bits a weight plus scales.
        long values = 2 * (32 * 32 + 16 * 32 * 2 + 32 * 32 + 3 * 64 * 32);
        assertTrue(qlora.quantizedBytes() <= 0.6 * values, qlora.quantizedBytes() + " bytes");
      }
    }
  }

  @Test
  void trainingLowersTheLossAndLeavesTheQuantisedBaseBitForBit() throws IOException {
    try (LlamaModel model = TinyModels.model();
        QloraModel qlora = QloraModel.apply(model, config())) {
      Map<String, float[]> before = stored(model);
      float[] losses = TinyModels.sgd(qlora, 6, 0.5f);
      assertTrue(losses[5] < losses[0] - 0.01, Arrays.toString(losses));
      Map<String, float[]> after = stored(model);
      before.forEach(
          (name, values) -> {
            if (!name.contains("lora_")) {
              assertArrayEquals(values, after.get(name), name);
            }
          });
      assertTrue(before.containsKey("model.layers.0.self_attn.q_proj.weight.absmax"));
    }
  }

  @Test
  void adapterRoundTripsOntoAFreshQuantisedBase() throws IOException {
    float[] trained;
    try (LlamaModel model = TinyModels.model();
        QloraModel qlora = QloraModel.apply(model, config())) {
      TinyModels.sgd(qlora, 2, 0.5f);
      trained = TinyModels.logits(qlora);
      qlora.save(dir, "tiny/base");
    }
    try (LlamaModel model = TinyModels.model();
        QloraModel qlora = QloraModel.load(dir, model)) {
      assertArrayEquals(trained, TinyModels.logits(qlora));
      assertEquals("qlora", qlora.method().name());
    }
  }

  @Test
  void anAdapterThatDoesNotFitLeavesTheBaseUnquantised() throws IOException {
    try (LlamaModel model = TinyModels.model();
        QloraModel qlora = QloraModel.apply(model, config())) {
      qlora.save(dir, "tiny/base");
    }
    var wider = TinyModels.wider();
    try (LlamaModel model = TinyModels.model(wider)) {
      var e = assertThrows(AdapterFormatException.class, () -> QloraModel.load(dir, model));
      assertTrue(
          e.getMessage().contains("has shape [4, 32], the model needs [4, 48]"), e.getMessage());
      assertTrue(
          model.linearLayers().values().stream()
              .allMatch(l -> l instanceof org.tuninglab.model.DenseLinear));
    }
  }

  @Test
  void mergingIntoAnNf4BaseIsRefused() throws IOException {
    try (LlamaModel model = TinyModels.model();
        QloraModel qlora = QloraModel.apply(model, config())) {
      var e = assertThrows(IllegalStateException.class, () -> qlora.lora().merge());
      assertTrue(
          e.getMessage().contains("model.layers.0.self_attn.q_proj: cannot merge"), e.getMessage());
    }
  }
}
