package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.Architecture;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import tech.tablesaw.api.Table;

class ParameterReportTest {

  /** Qwen/Qwen2.5-0.5B's config.json, as far as the decoder's shape goes. */
  static ModelConfig qwen() {
    return ModelConfig.builder()
        .optArchitecture(Architecture.QWEN2)
        .setVocabSize(151936)
        .setHiddenSize(896)
        .setIntermediateSize(4864)
        .setNumLayers(24)
        .setNumHeads(14)
        .optNumKvHeads(2)
        .optTieWordEmbeddings(true)
        .build();
  }

  private static final LoraConfig QV =
      LoraConfig.builder().setR(8).optAlpha(32).setTargetModules("q_proj", "v_proj").build();

  @Test
  void loraOnQwen25HalfBillionMatchesPeft() {
    ParameterReport r = ParameterReport.of(qwen(), MethodSpec.lora(QV));
    // PEFT: "trainable params: 540,672 || all params: 494,573,440 || trainable%: 0.1093"
    assertEquals(540_672, r.trainableParameters());
    assertEquals(494_032_768L + 540_672, r.totalParameters());
    assertTrue(
        r.format()
            .startsWith(
                "lora: trainable params: 540,672 || all params: 494,573,440 || trainable%: 0.1093"),
        r.format());
    assertEquals(4L * 540_672, r.gradientBytes());
    assertEquals(8L * 540_672, r.optimizerBytes());
    assertEquals(4L * r.totalParameters(), r.weightBytes());
  }

  @Test
  void otherMethodsOnQwen25() {
    ParameterReport full = ParameterReport.of(qwen(), MethodSpec.full());
    assertEquals(494_032_768L, full.trainableParameters());
    assertEquals(494_032_768L, full.totalParameters());
    assertEquals(16L * 494_032_768L, full.trainingBytes());

    ParameterReport prompt =
        ParameterReport.of(
            qwen(),
            MethodSpec.promptTuning(PromptTuningConfig.builder().setNumVirtualTokens(20).build()));
    assertEquals(20 * 896, prompt.trainableParameters());
    assertEquals(494_032_768L + 20 * 896, prompt.totalParameters());

    // QLoRA counts like LoRA (PEFT counts a 4-bit weight as its logical size) but stores less.
    ParameterReport qlora = ParameterReport.of(qwen(), MethodSpec.qlora(QV));
    ParameterReport lora = ParameterReport.of(qwen(), MethodSpec.lora(QV));
    assertEquals(lora.trainableParameters(), qlora.trainableParameters());
    assertEquals(lora.totalParameters(), qlora.totalParameters());
    long projections = 24L * (896 * 896 * 2 + 128 * 896 * 2 + 3 * 896 * 4864);
    long dense = qlora.totalParameters() - projections;
    double nf4BytesPerWeight = (qlora.weightBytes() - 4.0 * dense) / projections;
    assertTrue(nf4BytesPerWeight > 0.5 && nf4BytesPerWeight < 0.52, "" + nf4BytesPerWeight);
  }

  @Test
  void theLiveCountAgreesWithTheConfigCount() throws IOException {
    for (boolean tied : List.of(true, false)) {
      ModelConfig config = TinyModels.config(tied);
      LoraConfig lora =
          LoraConfig.builder().setR(4).setTargetModules("q_proj", "down_proj").build();
      PromptTuningConfig prompt = PromptTuningConfig.builder().setNumVirtualTokens(3).build();
      try (LlamaModel model = TinyModels.model(config);
          FullFineTune m = FullFineTune.apply(model)) {
        assertEquals(ParameterReport.of(config, MethodSpec.full()), ParameterReport.of(m));
        assertEquals(config.parameterCount(), ParameterReport.of(m).totalParameters());
      }
      try (LlamaModel model = TinyModels.model(config);
          LoraModel m = LoraModel.apply(model, lora)) {
        assertEquals(ParameterReport.of(config, MethodSpec.lora(lora)), ParameterReport.of(m));
      }
      try (LlamaModel model = TinyModels.model(config);
          QloraModel m = QloraModel.apply(model, lora)) {
        assertEquals(ParameterReport.of(config, MethodSpec.qlora(lora)), ParameterReport.of(m));
      }
      try (LlamaModel model = TinyModels.model(config);
          PromptTuningModel m = PromptTuningModel.create(model, prompt, null)) {
        assertEquals(
            ParameterReport.of(config, MethodSpec.promptTuning(prompt)), ParameterReport.of(m));
      }
    }
  }

  @Test
  void theTableHasOneRowPerQuantity() {
    Table t = ParameterReport.of(qwen(), MethodSpec.lora(QV)).toTable();
    assertEquals(List.of("quantity", "value", "readable"), t.columnNames());
    assertEquals(6, t.rowCount());
    assertEquals("trainable parameters", t.stringColumn("quantity").get(0));
    assertEquals(540_672L, t.longColumn("value").get(0));
    assertEquals("494,573,440 (0.1093% trainable)", t.stringColumn("readable").get(1));
  }

  @Test
  void aTargetTheConfigLacksIsNamed() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParameterReport.of(
                    qwen(),
                    MethodSpec.lora(
                        LoraConfig.builder().setR(8).setTargetModules("qkv_proj").build())));
    assertTrue(e.getMessage().contains("[qkv_proj] match no module"), e.getMessage());
  }
}
