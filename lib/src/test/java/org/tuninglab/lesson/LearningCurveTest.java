package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/**
 * The data lesson's runs on the embedded model, cut to two holdout items, eight new tokens and two
 * updates each: what each run trained on, where it wrote, and the prompt-size measure's token
 * counts (the curve's shape is the notebook's and the bench's to show).
 */
class LearningCurveTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path work;

  @Test
  void sizesShareTheUpdatesAndTheHoldoutAndEachRunWritesItsOwnFolder() throws IOException {
    Lab lab = new Lab(Lab.EMBEDDED, "cpu", ROOT);
    LearningCurve curve = LearningCurve.of(lab, "lora", new LessonBench.Settings(2, 8, 2), work);
    List<String> progress = new java.util.ArrayList<>();

    assertEquals(1440, curve.training().size());
    assertEquals(2, curve.holdout().size());
    assertEquals(2, curve.steps());
    assertEquals(2, Files.readAllLines(work.resolve("holdout.jsonl")).size());

    List<DataRun> sizes = curve.train(List.of(10, LearningCurve.ALL), (done, total) -> progress.add(done + "/" + total));
    DataRun ten = sizes.get(0);
    DataRun all = sizes.get(1);
    DataRun spoiled = curve.trainCorrupted(10, new Corruption(0.3, 1), (done, total) -> progress.add(done + "/" + total));

    assertEquals(List.of(10, 1440, 10), List.of(ten.examples(), all.examples(), spoiled.examples()));
    assertEquals(List.of(0, 0, 3), List.of(ten.corrupted(), all.corrupted(), spoiled.corrupted()));
    for (DataRun r : List.of(ten, all, spoiled)) {
      assertEquals(2, r.steps(), r.toString());
      assertEquals(2, r.score().examples(), r.toString());
      assertTrue(Double.isFinite(r.taskLoss()) && r.taskLoss() > 0, r.toString());
      assertTrue(Files.isRegularFile(r.adapter().resolve("adapter_model.safetensors")), r.toString());
    }
    // Updates, then answers, counted over both sizes; then the corrupted run's own.
    assertEquals(List.of("1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8", "1/4", "2/4", "3/4", "4/4"), progress);
    assertEquals("10 examples", ten.name());
    assertEquals("all 1440 examples", all.name());
    assertEquals("10 examples, 30 % corrupted", spoiled.name());
    // Each run trained on its own file: the first n of the shuffle, the spoiled one with 3 wrong.
    assertEquals(10, Files.readAllLines(work.resolve("10-examples/train.jsonl")).size());
    assertEquals(1440, Files.readAllLines(work.resolve("all-1440-examples/train.jsonl")).size());
    List<String> clean = Files.readAllLines(work.resolve("10-examples/train.jsonl"));
    List<String> dirty = Files.readAllLines(work.resolve("10-examples-30-corrupted/train.jsonl"));
    assertEquals(3, java.util.stream.IntStream.range(0, 10).filter(i -> !clean.get(i).equals(dirty.get(i))).count());
    // Same updates, other data: the holdout's loss differs.
    assertNotEquals(ten.taskLoss(), all.taskLoss());
    assertEquals(2.0, ten.epochs(16));
    assertEquals(2.0 / 90, all.epochs(16), 1e-12);

    Table table = curve.table("curve", List.of(ten, all, spoiled));
    assertEquals(3, table.rowCount());
    assertEquals(List.of("run", "examples", "corrupted", "updates", "epochs", "task holdout loss",
        "exact_match", "entity_f1", "seconds"), table.columnNames());
    XYChart chart = LearningCurve.chart("curve", List.of(ten, all), spoiled);
    assertEquals(List.of("entity F1", "exact match", "holdout loss", "F1, 10 examples, 30 % corrupted"),
        List.copyOf(chart.getSeriesMap().keySet()));

    // The same runs asked for again, by another curve on the same folder (a worked solution after
    // its notebook): read back, not trained; another budget trains into a folder of its own.
    LearningCurve again = LearningCurve.of(lab, "lora", new LessonBench.Settings(2, 8, 2), work);
    assertEquals(ten, again.train(10, (done, total) -> {}));
    assertEquals(spoiled, again.trainCorrupted(10, new Corruption(0.3, 1), (done, total) -> {}));
    assertTrue(!Files.exists(work.resolve("10-examples-2")));
    DataRun longer = LearningCurve.of(lab, "lora", new LessonBench.Settings(2, 8, 1), work)
        .train(10, (done, total) -> {});
    assertEquals(1, longer.steps());
    assertTrue(Files.isRegularFile(work.resolve("10-examples-2/data-run.json")));

    // The few-shot prompt against the fine-tuned model's plain one, on the same two items.
    PromptSizeStudy cost = PromptSizeStudy.measure(curve.preset(), ten.adapter(), curve.training(),
        curve.holdout(), 8, Device.cpu(), (done, total) -> {});
    assertEquals(2, cost.fewShot().answers());
    assertEquals(2, cost.fineTuned().answers());
    assertEquals(0, cost.fineTuned().failures());
    assertEquals(70.0, cost.fineTuned().promptTokens());
    assertTrue(cost.tokenRatio() > 3, cost.toString());
    assertTrue(cost.fineTuned().msPerAnswer() >= cost.fineTuned().msFirstToken(), cost.toString());
    assertTrue(cost.fineTuned().msFirstToken() > 0, cost.toString());
    assertTrue(cost.fineTuned().answerTokens() >= 1 && cost.fineTuned().answerTokens() <= 8, cost.toString());
    assertEquals(2, cost.table("cost").rowCount());
  }
}
