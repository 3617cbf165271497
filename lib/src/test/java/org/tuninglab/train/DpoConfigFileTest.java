package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.PreferenceMapping;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.preference.PreferenceLoss;

class DpoConfigFileTest {
  private static final String MINIMAL =
      "stage: dpo\nmodel: ./sft\ntrain_file: pairs.jsonl\noutput_dir: out\n";

  @TempDir Path tmp;

  private DpoConfig load(String text) throws IOException {
    return DpoConfigFile.load(Files.writeString(tmp.resolve("c.yaml"), text));
  }

  private ConfigFormatException fails(String extra) {
    return assertThrows(ConfigFormatException.class, () -> load(MINIMAL + extra));
  }

  private String where(String key) {
    return tmp.resolve("c.yaml") + ": key \"" + key + "\": ";
  }

  @Test
  void defaultsAreTrlsDpoWithLoraAndALiveReference() throws IOException {
    DpoConfig c = load(MINIMAL);
    assertEquals(PreferenceLoss.dpo(), c.loss());
    assertEquals(ReferenceChoice.LIVE, c.reference());
    assertEquals("lora", c.method().name());
    assertEquals(0, c.sftWeight());
    assertNull(c.sftAdapter());
    assertEquals(tmp.resolve("sft").toString(), c.model(), "a path starting with a dot is a path");
    assertEquals(tmp.resolve("pairs.jsonl"), c.data().trainFile());
    assertEquals(PreferenceMapping.DEFAULT, c.data().fields());
    assertEquals(0.1, c.data().holdoutFraction());
    assertEquals(1024, c.data().maxLength());
    assertEquals(512, c.data().maxPromptLength());
    assertEquals(tmp.resolve("out"), c.trainer().outputDir());
    assertEquals("Qwen/Qwen2.5-0.5B-Instruct", load(MINIMAL.replace("./sft", "Qwen/Qwen2.5-0.5B-Instruct")).model());
  }

  @Test
  void readsEachLossAndItsOwnKeys() throws IOException {
    DpoConfig cdpo = load(MINIMAL + "beta: 0.5\nlabel_smoothing: 0.1\nreference: precomputed\nsft_weight: 1\n");
    assertEquals(PreferenceLoss.sigmoid(0.5, 0.1), cdpo.loss());
    assertEquals(ReferenceChoice.PRECOMPUTED, cdpo.reference());
    assertEquals(1.0, cdpo.sftWeight());
    assertEquals(PreferenceLoss.ipo(0.25), load(MINIMAL + "loss_type: ipo\nbeta: 0.25\n").loss());
    DpoConfig simpo = load(MINIMAL + "loss_type: simpo\nsimpo_gamma_ratio: 0.3\n");
    assertEquals(PreferenceLoss.simpo(2.0, 0.3), simpo.loss(), "TRL's SimPO beta by default");
    assertEquals(ReferenceChoice.NONE, simpo.reference());
    DpoConfig full =
        load(MINIMAL + "method: full\nchosen_field: good\nrejected_field: bad\nmax_length: 160\n");
    assertEquals(MethodSpec.full(), full.method());
    assertEquals(new PreferenceMapping("prompt", "good", "bad"), full.data().fields());
    assertEquals(80, full.data().maxPromptLength());
  }

  @Test
  void misplacedAndBadKeysAreNamed() {
    assertEquals(where("loss_type") + "\"kto\" is not one of [sigmoid, ipo, simpo]",
        fails("loss_type: kto\n").getMessage());
    assertEquals(where("label_smoothing") + "only read by loss_type sigmoid; this config's loss_type is ipo",
        fails("loss_type: ipo\nlabel_smoothing: 0.1\n").getMessage());
    assertEquals("simpo_gamma_ratio", fails("simpo_gamma_ratio: 0.5\n").key());
    assertEquals(where("reference") + "the simpo loss is reference-free; remove the key",
        fails("loss_type: simpo\nreference: live\n").getMessage());
    assertEquals(where("reference") + "\"copy\" is not one of [live, precomputed]",
        fails("reference: copy\n").getMessage());
    assertEquals("beta", fails("beta: 0\n").key());
    assertEquals("label_smoothing", fails("label_smoothing: 0.5\n").key());
    assertEquals("sft_weight", fails("sft_weight: -1\n").key());
    assertEquals("lora_r", fails("method: full\nlora_r: 8\n").key());
    assertEquals("completion_field", fails("completion_field: answer\n").key(), "an SFT key");
    assertEquals("train_file", assertThrows(ConfigFormatException.class,
        () -> load("stage: dpo\nmodel: m\noutput_dir: out\n")).key());
    ConfigFormatException budget = fails("max_length: 100\nmax_prompt_length: 100\n");
    assertEquals("(combination)", budget.key());
    assertTrue(budget.getMessage().contains("max_prompt_length must be at least 1 and below max_length (100"),
        budget.getMessage());
    ConfigFormatException adapter = fails("sft_adapter: nowhere\n");
    assertEquals(where("sft_adapter") + tmp.resolve("nowhere")
        + " holds no adapter_config.json; expected an SFT run's adapter folder (OUTPUT/adapter)",
        adapter.getMessage());
  }

  @Test
  void theStageSaysWhichRecipeReadsTheFile() throws IOException {
    Path dpo = Files.writeString(tmp.resolve("dpo.yaml"), MINIMAL);
    Path sft = Files.writeString(tmp.resolve("sft.yaml"), "model: m\ntrain_file: d.jsonl\noutput_dir: out\n");
    Path odd = Files.writeString(tmp.resolve("odd.yaml"), "stage: ppo\nmodel: m\n");
    assertEquals(TrainingStage.DPO, TrainingStage.of(dpo));
    assertEquals(TrainingStage.SFT, TrainingStage.of(sft));
    assertEquals(tmp.resolve("odd.yaml") + ": key \"stage\": \"ppo\" is not one of [sft, dpo]",
        assertThrows(ConfigFormatException.class, () -> TrainingStage.of(odd)).getMessage());
    assertEquals(tmp.resolve("sft.yaml") + ": key \"stage\": this file is for stage sft, not dpo;"
            + " ./tuninglab train picks the recipe from the stage",
        assertThrows(ConfigFormatException.class, () -> DpoConfigFile.load(sft)).getMessage());
    assertEquals("stage", assertThrows(ConfigFormatException.class,
        () -> SftConfigFile.load(Files.writeString(tmp.resolve("x.yaml"),
            "stage: dpo\nmodel: m\ntrain_file: d.jsonl\noutput_dir: out\n"))).key());
    assertEquals("lora", SftConfigFile.load(Files.writeString(tmp.resolve("y.yaml"),
        "stage: sft\nmodel: m\ntrain_file: d.jsonl\noutput_dir: out\nmethod: lora\n")).method().name());
  }
}
