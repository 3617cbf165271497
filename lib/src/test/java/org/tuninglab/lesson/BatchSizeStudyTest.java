package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.SftCollator;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.parallel.ComputeDtype;
import org.tuninglab.parallel.GpuMemory;
import org.tuninglab.parallel.MemoryPlanner;
import org.tuninglab.parallel.OptimizerKind;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.HfTokenizer;
import org.tuninglab.train.TrainerConfig;
import tech.tablesaw.api.Table;

class BatchSizeStudyTest {
  private static final ModelConfig TINY =
      ModelConfig.builder().setVocabSize(272).setHiddenSize(32).setIntermediateSize(64)
          .setNumLayers(2).setNumHeads(4).optNumKvHeads(2).optMaxPositions(256).build();
  private static final String[] WORDS = {"hello", "world", "the", "hi"};

  private static HfTokenizer tokenizer;
  private static SftCollator collator;
  private static EncodedDataset train;
  private static EncodedDataset holdout;

  @BeforeAll
  static void data() throws IOException, URISyntaxException {
    Path dir = Path.of(BatchSizeStudyTest.class.getResource("/tokenize/bpe").toURI());
    tokenizer = HfTokenizer.load(dir);
    collator = SftCollator.builder().setTokenizer(tokenizer)
        .optChatTemplate(ChatTemplate.fromModelDir(dir).orElseThrow()).optSystemPrompt("Reverse.")
        .setMaxLength(96).build();
    train = collator.encodeAll(examples(32, 0));
    holdout = collator.encodeAll(examples(8, 100));
    assertEquals(32, train.size());
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  /** Prompts of 2-4 words and their reversal as the completion. */
  private static List<PromptCompletion> examples(int count, int offset) {
    List<PromptCompletion> out = new ArrayList<>();
    for (int i = offset; i < offset + count; i++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 2 + i % 3; w++) {
        words.add(WORDS[(i * 7 + w * 3) % WORDS.length]);
      }
      List<String> reversed = new ArrayList<>(words);
      Collections.reverse(reversed);
      out.add(PromptCompletion.of(String.join(" ", words), String.join(" ", reversed)));
    }
    return out;
  }

  private static BatchSizeStudy.Result study(LrScaling scaling) throws IOException {
    BatchSizeStudy.Settings s = new BatchSizeStudy.Settings(List.of(2, 4), List.of(1, 2), 16,
        3e-3, scaling, 2, TrainerConfig.builder().optSeed(5).build());
    BatchSizeStudy.Trainee trainee = () -> FullFineTune.apply(LlamaModel.create(
        TINY, RandomWeights.forTraining(7, 0.02), Device.cpu(), DataType.FLOAT32));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    BatchSizeStudy.Result r = BatchSizeStudy.run(s, trainee, collator, train, holdout,
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("k x b equivalence"));
    return r;
  }

  @Test
  void gridRowsAreDeterministicAndAccumulationEqualsTheLargerBatch() throws IOException {
    BatchSizeStudy.Result a = study(LrScaling.SQRT);
    BatchSizeStudy.Result b = study(LrScaling.SQRT);
    assertEquals(4, a.cells().size());
    for (int i = 0; i < a.cells().size(); i++) {
      BatchSizeStudy.Cell x = a.cells().get(i);
      BatchSizeStudy.Cell y = b.cells().get(i);
      assertEquals(x.trainLoss(), y.trainLoss(), 1e-6, x.label());
      assertEquals(x.holdoutLoss(), y.holdoutLoss(), 1e-6, x.label());
      assertEquals(16 / x.effectiveBatch(), x.updates(), x.label());
      assertEquals(3e-3 * Math.sqrt(x.effectiveBatch() / 2.0), x.lr(), 1e-12, x.label());
      assertEquals(2, x.holdout().size(), x.label());
      assertEquals(x.updates(), x.train().size(), x.label());
    }
    // 2 x 2 and 4 x 1 see the same examples per update at the same learning rate.
    BatchSizeStudy.Cell accumulated = a.cells().get(1);
    BatchSizeStudy.Cell whole = a.cells().get(2);
    assertEquals("2 x 2", accumulated.label());
    assertEquals("4 x 1", whole.label());
    assertEquals(whole.trainLoss(), accumulated.trainLoss(), 1e-4);
    assertEquals(whole.holdoutLoss(), accumulated.holdoutLoss(), 1e-4);
    assertTrue(a.equivalence().maxAbsDifference() < 1e-4, a.equivalence().toString());
    assertTrue(a.equivalence().lossDifference() < 1e-5, a.equivalence().toString());
    Table table = a.table();
    assertEquals(4, table.rowCount());
    assertEquals(List.of("b x k", "effective batch", "lr", "updates", "tokens/s", "step s",
        "planned peak MB", "measured peak MB", "train loss", "holdout loss", "gap"),
        table.columnNames());
    int longest = train.examples().stream().mapToInt(EncodedExample::length).max().orElseThrow();
    for (int i = 0; i < a.cells().size(); i++) {
      BatchSizeStudy.Cell x = a.cells().get(i);
      long planned = MemoryPlanner.plan(TINY, new PlanSettings(MethodSpec.full(), ComputeDtype.FP32,
          OptimizerKind.ADAMW, x.microBatch(), longest, false),
          new GpuMemory("host", Long.MAX_VALUE)).totalBytes();
      assertEquals(planned, x.plannedPeakBytes(), x.label());
      assertEquals(Math.round(planned / 1e5) / 10.0, table.doubleColumn("planned peak MB").get(i));
      // In this JVM the peak is not measured: the column is empty rather than a wrong figure.
      assertEquals(-1, x.measuredPeakBytes(), x.label());
      assertTrue(table.doubleColumn("measured peak MB").isMissing(i), x.label());
    }
    assertTrue(a.cells().get(0).plannedPeakBytes() < a.cells().get(2).plannedPeakBytes());
    assertEquals(4, a.trainChart().getSeriesMap().size());
  }

  @Test
  void lrScalingFactors() {
    assertEquals(1, LrScaling.NONE.factor(8, 2));
    assertEquals(4, LrScaling.LINEAR.factor(8, 2));
    assertEquals(2, LrScaling.SQRT.factor(8, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LrScaling.parse("cubic"));
    assertEquals("--lr-scaling must be none, linear or sqrt, got 'cubic'", e.getMessage());
  }

  @Test
  void settingsNameTheOptionAtFault() {
    TrainerConfig base = TrainerConfig.builder().build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BatchSizeStudy.Settings(List.of(0), List.of(1), 8, 1e-3, LrScaling.NONE, 1, base));
    assertEquals("--micro-batches values must be at least 1, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BatchSizeStudy.Settings(List.of(4), List.of(4), 8, 1e-3, LrScaling.NONE, 1, base));
    assertTrue(e.getMessage().startsWith("--examples (8) must be at least the largest effective"
        + " batch of the grid (16)"), e.getMessage());
  }
}
