package org.tuninglab.preference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceBatch;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.score.NoGrad;
import org.tuninglab.train.AdamW;
import org.tuninglab.train.AdamWConfig;

/** DPO steps with LoRA on the embedded model over the shipped preference pairs. */
class PreferenceObjectiveTest {

  private static LoraConfig lora() {
    return LoraConfig.builder()
        .setR(8)
        .optAlpha(16)
        .setTargetModules(LoraConfig.ALL_LINEAR)
        .optDropout(0)
        .optSeed(3)
        .build();
  }

  private static Map<String, float[]> snapshot(LlamaModel model) {
    Map<String, float[]> copy = new LinkedHashMap<>();
    model.namedArrays().forEach((name, a) -> copy.put(name, a.toType(DataType.FLOAT32, true).toFloatArray()));
    return copy;
  }

  private static Map<String, NDArray> trainable(AdaptedModel policy) {
    Map<String, NDArray> params = new LinkedHashMap<>();
    policy.trainableArrays().forEach(a -> params.put(a.name(), a.array()));
    return params;
  }

  /** One update: forward and backward inside the collector, AdamW, gradients zeroed. */
  private static PreferenceMetrics step(
      AdaptedModel policy, PreferenceObjective objective, AdamW adamw, double lr,
      PreferenceCollator collator, List<EncodedPair> pairs, Map<String, float[]> gradsOut) {
    policy.setTraining(true);
    try (NDManager step = policy.base().manager().newSubManager()) {
      PreferenceBatch batch = collator.collate(pairs, step);
      PreferenceOutput out;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        out = objective.compute(policy, batch);
        gc.backward(out.loss());
      }
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (NamedArray p : policy.trainableArrays()) {
        NDArray grad = p.array().getGradient();
        grad.attach(step);
        grads.put(p.name(), grad);
        if (gradsOut != null) {
          gradsOut.put(p.name(), grad.toFloatArray());
        }
      }
      adamw.step(lr, grads);
      try (NoGrad off = NoGrad.enter()) {
        grads.values().forEach(g -> g.set(new NDIndex("..."), 0f));
      }
      return out.metrics();
    }
  }

  @Test
  void oneLoraDpoStepTouchesTheAdaptersOnlyAndLeavesTheBaseBitForBit() throws IOException {
    try (PretrainedModel pretrained = EmbeddedPairs.model()) {
      LlamaModel model = pretrained.model();
      PreferenceCollator collator = EmbeddedPairs.collator(pretrained);
      List<EncodedPair> pairs = collator.encodeAll(EmbeddedPairs.pairs("train.jsonl", collator).subList(0, 4));
      Map<String, float[]> base = snapshot(model);
      try (LoraModel policy = LoraModel.apply(model, lora());
          AdamW adamw = new AdamW(trainable(policy), AdamWConfig.DEFAULT)) {
        Map<String, float[]> before = new LinkedHashMap<>();
        trainable(policy).forEach((name, a) -> before.put(name, a.toFloatArray()));
        PreferenceObjective dpo =
            PreferenceObjective.withReference(PreferenceLoss.dpo(), ReferenceModel.of(policy));
        Map<String, float[]> grads = new LinkedHashMap<>();
        PreferenceMetrics first = step(policy, dpo, adamw, 1e-3, collator, pairs, grads);
        // Fresh adapters (B = 0) make the policy its reference: loss log 2, zero rewards, a coin's accuracy.
        assertEquals(Math.log(2), first.loss(), 1e-6);
        assertEquals(0, first.rewardsMargins(), 1e-9);
        assertEquals(0.5, first.rewardsAccuracies(), 1e-9);
        assertTrue(first.logpsChosen() < 0 && first.logpsRejected() < first.logpsChosen() + 50);
        // Only adapter arrays train; with B = 0 the gradient reaches B, not A.
        model.namedArrays().forEach((name, a) -> {
          if (!name.contains(".lora_")) {
            assertFalse(a.hasGradient(), name + " has a gradient");
          }
        });
        grads.forEach((name, g) -> {
          double norm = 0;
          for (float v : g) {
            norm += v * v;
          }
          assertTrue(name.endsWith("lora_B.weight") ? norm > 0 : norm == 0, name + ": |g|^2 " + norm);
        });
        Map<String, float[]> after = snapshot(model);
        base.forEach((name, values) -> assertArrayEquals(values, after.get(name), name));
        assertEquals(base.size() + before.size(), after.size(), "the base arrays and the adapters");
        long changed =
            trainable(policy).entrySet().stream()
                .filter(e -> !Arrays.equals(before.get(e.getKey()), e.getValue().toFloatArray()))
                .count();
        assertEquals(before.size() / 2, changed, "every lora_B moved");
      }
    }
  }

  @Test
  void aTinyLoraDpoRunRaisesHoldoutAccuracyWithLiveOrPrecomputedReference() throws IOException {
    try (PretrainedModel pretrained = EmbeddedPairs.model()) {
      LlamaModel model = pretrained.model();
      PreferenceCollator collator = EmbeddedPairs.collator(pretrained);
      List<EncodedPair> train = collator.encodeAll(EmbeddedPairs.pairs("train.jsonl", collator).subList(0, 48));
      List<EncodedPair> holdout =
          collator.encodeAll(EmbeddedPairs.pairs("holdout.jsonl", collator).subList(0, 40));
      try (LoraModel policy = LoraModel.apply(model, lora());
          AdamW adamw = new AdamW(trainable(policy), AdamWConfig.DEFAULT)) {
        ReferenceModel reference = ReferenceModel.of(policy);
        PreferenceObjective live = PreferenceObjective.withReference(PreferenceLoss.dpo(), reference);
        PreferenceObjective cached =
            PreferenceObjective.withPrecomputed(
                PreferenceLoss.dpo(), ReferenceLogProbs.compute(reference, collator, train, 16, model.manager()));
        PreferenceMetrics start = live.evaluate(policy, collator, holdout, 20);
        assertEquals(0.5, start.rewardsAccuracies(), 1e-9);
        assertEquals(Math.log(2), start.loss(), 1e-6);
        double[] losses = new double[6];
        for (int s = 0; s < losses.length; s++) {
          List<EncodedPair> batch = train.subList((s * 8) % train.size(), (s * 8) % train.size() + 8);
          // Even steps with the live reference, odd ones with the cached values: the same objective.
          PreferenceObjective objective = s % 2 == 0 ? live : cached;
          if (s == 1) {
            try (NDManager m = model.manager().newSubManager();
                NoGrad off = NoGrad.enter()) {
              PreferenceBatch b = collator.collate(batch, m);
              assertEquals(
                  live.compute(policy, b).metrics().loss(), cached.compute(policy, b).metrics().loss(), 1e-4);
            }
          }
          losses[s] = step(policy, objective, adamw, 1e-3, collator, batch, null).loss();
        }
        PreferenceMetrics end = live.evaluate(policy, collator, holdout, 20);
        assertTrue(end.rewardsAccuracies() >= 0.9, "holdout accuracy " + end + ", losses " + Arrays.toString(losses));
        assertTrue(end.rewardsMargins() > 0 && end.loss() < start.loss(), end.toString());
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> cached.evaluate(policy, collator, holdout.subList(0, 2), 2));
        assertTrue(e.getMessage().contains("no precomputed reference"), e.getMessage());
      }
    }
  }

  @Test
  void theSftTermAddsTheChosenAnswersMeanTokenCrossEntropy() throws IOException {
    try (PretrainedModel pretrained = EmbeddedPairs.model()) {
      LlamaModel model = pretrained.model();
      PreferenceCollator collator = EmbeddedPairs.collator(pretrained);
      List<EncodedPair> pairs = collator.encodeAll(EmbeddedPairs.pairs("train.jsonl", collator).subList(0, 3));
      try (LoraModel policy = LoraModel.apply(model, lora());
          NDManager m = model.manager().newSubManager();
          NoGrad off = NoGrad.enter()) {
        PreferenceObjective dpo =
            PreferenceObjective.withReference(PreferenceLoss.dpo(), ReferenceModel.of(policy));
        PreferenceBatch batch = collator.collate(pairs, m);
        SequenceScores scores =
            SequenceLogProbs.of(
                policy.logits(batch.rows().inputIds(), batch.rows().attentionMask()), batch.rows().labels());
        float[] logps = scores.logps().toFloatArray();
        float[] tokens = scores.tokens().toFloatArray();
        double nll = -(logps[0] + logps[1] + logps[2]) / (tokens[0] + tokens[1] + tokens[2]);
        PreferenceOutput plain = dpo.compute(policy, batch);
        PreferenceOutput rpo = dpo.withSftWeight(0.5).compute(policy, batch);
        assertEquals(Math.log(2), plain.loss().getFloat(), 1e-6);
        assertEquals(Math.log(2) + 0.5 * nll, rpo.loss().getFloat(), 1e-5);
        assertEquals(rpo.loss().getFloat(), rpo.metrics().loss(), 1e-9);
        assertEquals(plain.metrics().rewardsAccuracies(), rpo.metrics().rewardsAccuracies());
        assertThrows(IllegalArgumentException.class, () -> dpo.withSftWeight(-1));
      }
    }
  }

  @Test
  void aReferenceLossNeedsAReference() {
    assertThrows(
        IllegalArgumentException.class, () -> PreferenceObjective.referenceFree(PreferenceLoss.dpo()));
    assertEquals(
        "no reference",
        PreferenceObjective.referenceFree(PreferenceLoss.simpo(2, 0.5)).describeReference());
  }
}
