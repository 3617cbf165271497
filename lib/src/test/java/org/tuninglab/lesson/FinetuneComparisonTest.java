package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.tuninglab.data.TextCorpus;
import org.tuninglab.train.DataConfig;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.TrainerConfig;
import tech.tablesaw.api.Table;

class FinetuneComparisonTest {
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
        d.holdoutField(), d.holdoutValues(), d.systemPrompt(), d.maxLength(), d.documentSeparator());
    SftConfig config = new SftConfig(preset.model(), preset.method(), smallHoldout, threeSteps,
        preset.precision(), true);

    // Forgetting on four stories the model was not trained on.
    List<String> stories = TextCorpus.documents(ROOT.resolve("datasets/stories/holdout.txt"));
    Path general = out.resolve("stories.txt");
    Files.writeString(general, String.join("\n\n", stories.subList(0, 4)) + "\n");

    FinetuneComparison.Row row = FinetuneComparison.runOrReuse(file, config, Device.cpu(), 2, 8, general);

    assertEquals("lora", row.method());
    assertEquals(163_840, row.trainableParameters());
    assertTrue(row.lossAfter() < row.lossBefore(), row.toString());
    assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
    // The pretrained model predicts its own kind of text far better than a uniform guess, and
    // three LoRA updates on another task move that loss.
    assertTrue(row.generalLossBefore() > 0 && row.generalLossBefore() < Math.log(512) / 3,
        row.toString());
    assertTrue(Double.isFinite(row.generalLossAfter()), row.toString());
    assertNotEquals(row.generalLossBefore(), row.generalLossAfter(), row.toString());

    // Run again into the same folder: the recipe would resume the finished run, so it is refused.
    IllegalArgumentException again =
        assertThrows(
            IllegalArgumentException.class,
            () -> FinetuneComparison.run(file, config, Device.cpu(), 2, 8, null));
    assertTrue(again.getMessage().contains("checkpoint-3"), again.getMessage());
    assertTrue(again.getMessage().contains(out.toString()), again.getMessage());
    // runOrReuse kept the measurement: the same measurement again is read back, not trained;
    // another one (a larger sample) in the same folder is refused.
    assertEquals(row, FinetuneComparison.runOrReuse(file, config, Device.cpu(), 2, 8, general));
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> FinetuneComparison.runOrReuse(file, config, Device.cpu(), 3, 8, general));
    assertTrue(other.getMessage().contains("2 answers of up to 8 tokens")
        && other.getMessage().contains("3 answers of up to 8 tokens"), other.getMessage());
    for (ExtractionScore s : new ExtractionScore[] {row.before(), row.after()}) {
      assertEquals(2, s.examples());
      for (double v : new double[] {s.exactMatch(), s.validJson(), s.entityF1()}) {
        assertTrue(v >= 0 && v <= 1, row.toString());
      }
    }
  }

  @Test
  void rowsSideBySideAsATableAndALossChart() {
    ExtractionScore none = new ExtractionScore(20, 0, 0, 0);
    List<FinetuneComparison.Row> rows =
        List.of(
            new FinetuneComparison.Row("full.yaml", "full", 1000, 50, 7.0, 0.4, none,
                new ExtractionScore(20, 0.05, 1.0, 0.31), 0.95, 1.63),
            new FinetuneComparison.Row("lora.yaml", "lora", 200, 60, 7.0, 2.4, none,
                new ExtractionScore(20, 0, 0.8, 0.18), 0.95, 1.91));

    Table table = FinetuneComparison.table("methods", rows);
    assertEquals(2, table.rowCount());
    assertEquals(List.of("full", "lora"), table.stringColumn("method").asList());
    assertEquals(0.18, table.doubleColumn("entity F1 after").get(1));
    assertEquals(1.63, table.doubleColumn("general loss after").get(0));

    CategoryChart chart = FinetuneComparison.lossChart(rows);
    var task = chart.getSeriesMap().get("task holdout");
    assertEquals(List.of("untuned", "full", "lora"), task.getXData());
    assertEquals(List.of(7.0, 0.4, 2.4), task.getYData());
    assertEquals(
        List.of(0.95, 1.63, 1.91),
        chart.getSeriesMap().get("general text (forgetting)").getYData());
    assertThrows(IllegalArgumentException.class, () -> FinetuneComparison.lossChart(List.of()));
  }
}
