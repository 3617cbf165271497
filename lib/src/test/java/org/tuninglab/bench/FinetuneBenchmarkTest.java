package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.train.DataConfig;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.TrainerConfig;

class FinetuneBenchmarkTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path out;

  @Test
  void aShortLoraRunIsMeasuredBeforeAndAfterThroughItsAdapter() throws IOException {
    Path file = ROOT.resolve("configs/tuninglab-tiny-lora.yaml");
    SftConfig preset = SftConfigFile.load(file);
    TrainerConfig t = preset.trainer();
    TrainerConfig threeSteps =
        TrainerConfig.builder().optLr(t.lr()).optAdamW(t.adamw()).optBatchSize(t.batchSize())
            .optMaxSteps(3).optEvalEvery(3).optSeed(t.seed()).optOutputDir(out).build();
    DataConfig d = preset.data();
    DataConfig smallHoldout = new DataConfig(d.trainFile(), d.evalFile(), d.fields(), 0.02,
        d.holdoutField(), d.holdoutValues(), d.systemPrompt(), d.maxLength());
    SftConfig config = new SftConfig(preset.model(), preset.method(), smallHoldout, threeSteps,
        preset.precision(), true, preset.lora(), preset.prompt());

    FinetuneBenchmark.Row row = FinetuneBenchmark.run(file, config, Device.cpu(), 2, 8);

    assertEquals("lora", row.method());
    assertEquals(233_472, row.trainableParameters());
    assertTrue(row.lossAfter() < row.lossBefore(), row.toString());
    assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
    for (ExtractionScore s : new ExtractionScore[] {row.before(), row.after()}) {
      assertEquals(2, s.examples());
      for (double v : new double[] {s.exactMatch(), s.validJson(), s.entityF1()}) {
        assertTrue(v >= 0 && v <= 1, row.toString());
      }
    }
  }
}
