package org.tuninglab.preference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceBatch;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraLinear;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.score.NoGrad;

class ReferenceModelTest {

  private static float[] logits(ReferenceModel reference, PreferenceBatch batch) {
    return reference.logits(batch.rows().inputIds(), batch.rows().attentionMask()).toFloatArray();
  }

  private static float[] forward(LlamaModel model, PreferenceBatch batch) {
    try (NDManager m = model.manager().newSubManager();
        NoGrad off = NoGrad.enter()) {
      return model.forward(batch.rows().inputIds(), batch.rows().attentionMask(), null).toFloatArray();
    }
  }

  @Test
  void loraReferenceIsTheBaseWhateverTheAdaptersHold() throws IOException {
    try (PretrainedModel pretrained = EmbeddedPairs.model();
        NDManager data = NDManager.newBaseManager()) {
      LlamaModel model = pretrained.model();
      PreferenceCollator collator = EmbeddedPairs.collator(pretrained);
      PreferenceBatch batch =
          collator.collate(collator.encodeAll(EmbeddedPairs.pairs("holdout.jsonl", collator).subList(0, 3)), data);
      float[] base = forward(model, batch);
      LoraConfig config = LoraConfig.builder().setR(4).optAlpha(8).setTargetModules("all-linear").build();
      try (LoraModel lora = LoraModel.apply(model, config)) {
        try (NoGrad off = NoGrad.enter()) {
          for (LoraLinear l : lora.layers().values()) {
            l.loraB().addi(l.loraB().onesLike().muli(0.05f));
          }
        }
        ReferenceModel reference = ReferenceModel.of(lora);
        assertEquals("lora base, adapters disabled", reference.describe());
        assertArrayEquals(base, logits(reference, batch));
        assertTrue(lora.adaptersEnabled());
        try (NDManager m = model.manager().newSubManager();
            NoGrad off = NoGrad.enter()) {
          float[] adapted = lora.logits(batch.rows().inputIds(), batch.rows().attentionMask()).toFloatArray();
          assertTrue(Math.abs(adapted[0] - base[0]) + Math.abs(adapted[7] - base[7]) > 1e-4);
        }
      }
    }
  }

  @Test
  void qloraReferenceIsTheQuantisedBase() throws IOException {
    try (PretrainedModel pretrained = EmbeddedPairs.model();
        NDManager data = NDManager.newBaseManager()) {
      LlamaModel model = pretrained.model();
      PreferenceCollator collator = EmbeddedPairs.collator(pretrained);
      PreferenceBatch batch =
          collator.collate(collator.encodeAll(EmbeddedPairs.pairs("holdout.jsonl", collator).subList(0, 2)), data);
      LoraConfig config = LoraConfig.builder().setR(4).optAlpha(8).setTargetModules("all-linear").build();
      try (QloraModel qlora = QloraModel.apply(model, config)) {
        float[] quantisedBase = forward(model, batch); // fresh adapters: B = 0
        try (NoGrad off = NoGrad.enter()) {
          for (LoraLinear l : qlora.lora().layers().values()) {
            l.loraB().addi(l.loraB().onesLike().muli(0.05f));
          }
        }
        ReferenceModel reference = ReferenceModel.of(qlora);
        assertEquals("qlora base, adapters disabled", reference.describe());
        assertArrayEquals(quantisedBase, logits(reference, batch));
        assertTrue(Math.abs(forward(model, batch)[0] - quantisedBase[0]) > 1e-5, "the adapters act");
      }
    }
  }

  @Test
  void aFrozenCopyKeepsTheWeightsItWasMadeFrom() throws IOException {
    try (PretrainedModel pretrained = EmbeddedPairs.model();
        NDManager data = NDManager.newBaseManager()) {
      LlamaModel model = pretrained.model();
      PreferenceCollator collator = EmbeddedPairs.collator(pretrained);
      PreferenceBatch batch =
          collator.collate(collator.encodeAll(EmbeddedPairs.pairs("holdout.jsonl", collator).subList(0, 2)), data);
      float[] before = forward(model, batch);
      try (FullFineTune full = FullFineTune.apply(model);
          ReferenceModel reference = ReferenceModel.of(full)) {
        assertArrayEquals(before, logits(reference, batch));
        try (NoGrad off = NoGrad.enter()) {
          model.namedArrays().values().forEach(w -> w.muli(1.01f));
        }
        assertTrue(Math.abs(forward(model, batch)[0] - before[0]) > 1e-4, "the policy moved");
        assertArrayEquals(before, logits(reference, batch));
        assertEquals(
            model.namedArrays().keySet(), ((FrozenCopy) reference).model().namedArrays().keySet());
      }
    }
  }

  @Test
  void precomputedLogProbsEqualTheReferencesInAnyBatchOrder() throws IOException {
    try (PretrainedModel pretrained = EmbeddedPairs.model()) {
      LlamaModel model = pretrained.model();
      PreferenceCollator collator = EmbeddedPairs.collator(pretrained);
      List<EncodedPair> pairs = collator.encodeAll(EmbeddedPairs.pairs("train.jsonl", collator).subList(0, 10));
      ReferenceModel reference = ReferenceModel.decoder(model, "the embedded model");
      ReferenceLogProbs cached = ReferenceLogProbs.compute(reference, collator, pairs, 4, model.manager());
      assertEquals(10, cached.size());
      assertTrue(cached.seconds() > 0);
      List<EncodedPair> shuffled = new ArrayList<>(pairs.subList(2, 7));
      Collections.reverse(shuffled);
      try (NDManager m = model.manager().newSubManager()) {
        PreferenceBatch batch = collator.collate(shuffled, m);
        PairLogps direct = reference.score(batch).pairs(shuffled.size());
        PairLogps looked = cached.lookup(shuffled, m);
        assertArrayEquals(direct.chosen().toFloatArray(), looked.chosen().toFloatArray(), 1e-3f);
        assertArrayEquals(direct.rejected().toFloatArray(), looked.rejected().toFloatArray(), 1e-3f);
        assertArrayEquals(direct.chosenTokens().toFloatArray(), looked.chosenTokens().toFloatArray());
        EncodedPair unseen =
            collator.encode(EmbeddedPairs.pairs("holdout.jsonl", collator).get(0));
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> cached.lookup(List.of(unseen), m));
        assertTrue(e.getMessage().startsWith("holdout.jsonl:1: no precomputed"), e.getMessage());
      }
    }
  }
}
