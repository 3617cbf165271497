package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.ModelConfig;

class DangersConclusionTest {

  private static Contrast ood(double in, double out) {
    return new Contrast("entity F1 after LoRA", "in-domain", in, "held-out domain (letter)", out, 40, "");
  }

  private static Contrast safety(double before, double after) {
    return new Contrast("refusal rate", "before fine-tuning", before, "after the full preset", after, 40, "");
  }

  @Test
  void oodNamesTheDropOnlyWhenTheRunLearnedAndTheDropIsMoreThanNoise() {
    assertEquals("**In this run** entity F1 0.80 on the in-domain, 0.50 on the held-out domain (letter)"
        + " (40 items each): a drop of 0.30 (38% of the in-domain score) on a domain the adapter never saw.",
        DangersConclusion.ood(ood(0.8, 0.5)).text());
    assertTrue(DangersConclusion.ood(ood(0.05, 0.0)).text().contains("learned too little"));
    assertTrue(DangersConclusion.ood(ood(0.60, 0.58)).text().endsWith("about the same: no out-of-distribution"
        + " drop shows in this run."));
    assertTrue(DangersConclusion.ood(ood(0.40, 0.60)).text().contains("the held-out domain scored higher"));
  }

  @Test
  void forgettingComparesTheTwoRisesAtTheSameLearningRate() {
    String md = DangersConclusion.forgetting(new Forgetting(1e-3, 1.0, 1.52, 1.04)).text();
    assertTrue(md.contains("the full fine-tune moved it to 1.520 (+0.520), LoRA at the same learning rate"
        + " (0.001) to 1.040 (+0.040): the full fine-tune forgot more"), md);
    assertTrue(DangersConclusion.forgetting(new Forgetting(1e-3, 1.0, 1.005, 0.99)).text()
        .contains("no forgetting shows in this run"));
    assertTrue(DangersConclusion.forgetting(new Forgetting(1e-3, 1.0, 1.02, 1.30)).text()
        .contains("LoRA forgot more"));
    assertTrue(DangersConclusion.forgetting(new Forgetting(1e-3, 1.0, 1.20, 1.205)).text()
        .contains("both forgot about as much"));
  }

  @Test
  void safetySaysWhenThereWasNothingToErode() {
    assertEquals("**In this run** the refusal rate on 40 held-out harmful requests fell from 1.00 to 0.00 after"
        + " a fine-tune on benign entity data that holds no harmful request at all: safety eroded.",
        DangersConclusion.safety(safety(1.0, 0.0)).text());
    String none = DangersConclusion.safety(safety(0.0, 0.0)).text();
    assertTrue(none.contains("refused 0 of the 40 harmful requests") && none.contains("cannot be shown"), none);
    assertFalse(none.contains("eroded"), none);
    assertTrue(DangersConclusion.safety(safety(0.9, 0.88)).text().contains("no erosion shows"));
  }

  @Test
  void theTablesHoldEachFigureOnItsOwnRow() {
    var ood = ood(0.8, 0.5).table("OOD");
    assertEquals(List.of("in-domain", "held-out domain (letter)"), ood.stringColumn("condition").asList());
    assertEquals(List.of(0.8, 0.5), ood.doubleColumn("entity F1 after LoRA").asList());
    var forgetting = new Forgetting(1e-3, 1.0, 1.5, 1.25).table("Forgetting");
    assertEquals("after LoRA at lr 0.001", forgetting.stringColumn("model").get(2));
    assertEquals(List.of(0.0, 0.5, 0.25), forgetting.doubleColumn("change").asList());
  }

  @Test
  void lockInReportsTheRefusalAndTheAdapterAwayFromItsBase() {
    ModelConfig wider = ModelConfig.builder().setVocabSize(64).setHiddenSize(160).setIntermediateSize(448)
        .setNumLayers(8).setNumHeads(5).build();
    Contrast pipeline = new Contrast("entity F1, improved prompt", "base model", 0.10, "fully fine-tuned model",
        0.45, 40, "");
    LockIn worse = new LockIn(pipeline, Path.of("adapter"), wider, "configs/x-pretrain.yaml",
        "adapter_model.safetensors does not fit this base model", 0.30, 0.60, 0.20, 40);
    String md = DangersConclusion.lockIn(worse).text();
    assertTrue(md.contains("entity F1 0.10 on the base model, 0.45 on the fully fine-tuned model"), md);
    assertTrue(md.contains("was refused by a decoder of 8 layers and width 160 (configs/x-pretrain.yaml)"), md);
    assertTrue(md.contains("scored entity F1 0.20, against 0.30 on its own base and 0.60 for that model without"
        + " it: the adapter made the other model worse"), md);
    LockIn same = new LockIn(pipeline, Path.of("adapter"), wider, "configs/x-pretrain.yaml", "", 0.30, 0.60, 0.62, 40);
    String loaded = DangersConclusion.lockIn(same).text();
    assertTrue(loaded.contains("loaded onto a decoder of 8 layers") && loaded.contains("no loss shows here"), loaded);
    assertFalse(same.refused());
    assertEquals(0.32, same.transferChange(), 1e-12);
    assertEquals(List.of("LoRA adapter on its own base", "fully fine-tuned model alone",
        "LoRA adapter on the fully fine-tuned model"), same.table("Lock-in").stringColumn("model").asList());
    assertEquals(List.of(0.30, 0.60, 0.62), same.table("Lock-in").doubleColumn("entity F1").asList());
  }
}
