package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.preference.PreferenceMetrics;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.RunStore;

/** The preference recipe end to end from a config on the embedded model and the shipped pairs. */
class DpoRecipeTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path tmp;

  /** The first 48 training pairs and 40 holdout pairs, for runs of a few seconds. */
  @BeforeEach
  void pairs() throws IOException {
    Path shipped = ROOT.resolve("datasets/preferences");
    Files.write(tmp.resolve("train.jsonl"), Files.readAllLines(shipped.resolve("train.jsonl")).subList(0, 48));
    Files.write(tmp.resolve("holdout.jsonl"), Files.readAllLines(shipped.resolve("holdout.jsonl")).subList(0, 40));
  }

  /** LoRA r 8 on every linear layer, no dropout: the phase-1 measurement's adapters. */
  private static final String LORA = "lora_r: 8\nlora_dropout: 0\nlora_targets: [all-linear]\n";

  private DpoConfig config(String name, String extra) throws IOException {
    return DpoConfigFile.load(
        Files.writeString(
            tmp.resolve(name),
            String.join("\n",
                "stage: dpo", "model: " + ROOT.resolve("models/tuninglab-tiny"),
                "train_file: train.jsonl", "eval_file: holdout.jsonl",
                "system_prompt: Extract the people, places and dates as JSON.", "max_length: 256",
                "seed: 7", "lr: 1e-3", "schedule: constant", "batch_size: 8", "")
                + extra));
  }

  /** Records every step's report. */
  private static final class Steps implements TrainingListener {
    final List<StepReport> reports = new ArrayList<>();

    @Override
    public void onStep(StepReport report) {
      reports.add(report);
    }
  }

  @Test
  void aLoraRunRaisesHoldoutAccuracyAndLogsTrlMetrics() throws IOException {
    DpoConfig config =
        config("run.yaml", LORA + "reference: precomputed\nmax_steps: 6\neval_every: 6\noutput_dir: out\n");
    RunStore store = RunStore.open(tmp.resolve("store"));
    Steps steps = new Steps();

    DpoResult result = DpoRecipe.run(config, steps, RunTrackingListener.forRecipe(store, config));

    assertEquals(StopReason.COMPLETED, result.training().reason(), result.training().message());
    assertEquals(48, result.trainPairs());
    assertEquals(40, result.holdoutPairs());
    assertEquals("precomputed reference log-probabilities", result.reference());
    assertTrue(result.referenceSeconds() > 0);
    // Fresh adapters are the reference: the first step's pairs are a coin toss.
    assertEquals(Math.log(2), steps.reports.get(0).loss(), 1e-4);
    assertEquals(0.5, steps.reports.get(0).metrics().get("rewards/accuracies"), 1e-9);
    assertEquals(Set.copyOf(PreferenceMetrics.NAMES.subList(1, PreferenceMetrics.NAMES.size())),
        steps.reports.get(0).metrics().keySet());
    Map<String, Double> holdout = result.training().evaluations().get(0).metrics();
    assertTrue(holdout.get("eval_rewards/accuracies") >= 0.9, holdout.toString());
    assertTrue(holdout.get("eval_rewards/margins") > 0, holdout.toString());
    assertEquals(tmp.resolve("out/adapter"), result.adapter());
    assertNull(result.finalModel());
    assertTrue(Files.isRegularFile(result.adapter().resolve("adapter_model.safetensors")));

    RunRecord run = store.runs().get(0);
    assertEquals(6, run.history("rewards/margins").size());
    assertEquals(holdout.get("eval_rewards/accuracies"), run.value("eval_rewards/accuracies").orElseThrow());
    assertEquals("lora", run.config().get("method"));
  }

  @Test
  void resumesFromACheckpointWithIdenticalLosses() throws IOException {
    String straight = "checkpoint_every: 2\noutput_dir: straight\n";
    String resumed = "checkpoint_every: 2\noutput_dir: resumed\n";

    DpoResult whole = DpoRecipe.run(config("a.yaml", LORA + "max_steps: 4\n" + straight));
    DpoRecipe.run(config("b.yaml", LORA + "max_steps: 2\n" + resumed));
    DpoResult rest = DpoRecipe.run(config("c.yaml", LORA + "max_steps: 4\n" + resumed));

    assertEquals(2, rest.training().losses().size(), "the second run resumed at step 2");
    List<Double> tail = whole.training().losses().subList(2, 4);
    for (int i = 0; i < 2; i++) {
      assertEquals(tail.get(i), rest.training().losses().get(i), 1e-6, "step " + (i + 3));
    }
    assertArrayEquals(
        Files.readAllBytes(whole.adapter().resolve("adapter_model.safetensors")),
        Files.readAllBytes(rest.adapter().resolve("adapter_model.safetensors")));
  }

  @Test
  void aQloraRunUsesItsQuantisedBaseAsTheReferenceAndWritesAnAdapter() throws IOException {
    DpoConfig config = config("qlora.yaml", "method: qlora\n" + LORA + "max_steps: 2\noutput_dir: q\n");
    Steps steps = new Steps();

    DpoResult result = DpoRecipe.run(config, steps);

    assertEquals(StopReason.COMPLETED, result.training().reason(), result.training().message());
    assertTrue(result.reference().contains("adapters disabled"), result.reference());
    // The NF4 base with fresh adapters is its own reference: the first step is a coin toss.
    assertEquals(Math.log(2), steps.reports.get(0).loss(), 1e-4);
    assertTrue(steps.reports.get(1).loss() < Math.log(2), "the second step learned from the first");
    assertTrue(Files.isRegularFile(result.adapter().resolve("adapter_model.safetensors")));
    assertNull(result.finalModel());
  }

  @Test
  void aFullFineTuneTrainsAgainstAFrozenCopyAndWritesTheModel() throws IOException {
    DpoConfig config =
        config("full.yaml", "method: full\nlr: 1e-4\nmax_steps: 2\noutput_dir: full\n")
            .withLoss(org.tuninglab.preference.PreferenceLoss.ipo(0.5));
    Steps steps = new Steps();

    DpoResult result = DpoRecipe.run(config, steps);

    assertEquals(StopReason.COMPLETED, result.training().reason(), result.training().message());
    assertTrue(result.reference().contains("frozen"), result.reference());
    // IPO of a policy equal to its reference: (0 - 1 / (2 beta))^2 = 1.
    assertEquals(1.0, steps.reports.get(0).loss(), 1e-4);
    assertNull(result.adapter());
    assertTrue(Files.isRegularFile(tmp.resolve("full/final/config.json")));
  }

  @Test
  void anSftAdapterIsMergedIntoTheStartingModel() throws IOException {
    Path model = ROOT.resolve("models/tuninglab-tiny");
    Path adapter = tmp.resolve("sft-adapter");
    int[] ids = {1, 5, 9, 42, 7};
    float[] adapted;
    try (PretrainedModel base = PretrainedModel.load(model, Device.cpu(), DataType.FLOAT32);
        LoraModel sft = LoraModel.apply(base.model(),
            LoraConfig.builder().setR(4).optDropout(0).setTargetModules(List.of("all-linear")).build());
        NDManager scope = base.model().manager().newSubManager()) {
      for (var layer : sft.layers().values()) {
        layer.loraB().set(new NDIndex("..."), 0.05f); // a trained adapter: B != 0
      }
      adapted = sft.logits(scope.create(ids, new Shape(1, ids.length)).toType(DataType.INT64, false), null)
          .toFloatArray();
      sft.save(adapter, model.toString());
    }
    try (PretrainedModel merged = PretrainedModel.load(model, Device.cpu(), DataType.FLOAT32);
        NDManager scope = merged.model().manager().newSubManager()) {
      LoraModel.load(adapter, merged.model()).mergeAndUnload();
      float[] plain = merged.model()
          .forward(scope.create(ids, new Shape(1, ids.length)).toType(DataType.INT64, false), null, null)
          .toFloatArray();
      assertArrayEquals(adapted, plain, 1e-4f, "the merged decoder computes the adapted model");
    }

    // A DPO run from the base and that adapter: its reference is the merged model, so fresh
    // adapters start at the reference (loss log 2).
    Steps steps = new Steps();
    DpoRecipe.run(config("merged.yaml", LORA + "sft_adapter: sft-adapter\nmax_steps: 1\noutput_dir: m\n"), steps);
    assertEquals(Math.log(2), steps.reports.get(0).loss(), 1e-4);
  }
}
