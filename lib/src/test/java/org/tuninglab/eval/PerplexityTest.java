package org.tuninglab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.eval.view.MetricsTable;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.prompt.FewShotBuilder;
import org.tuninglab.prompt.FewShotExample;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.testing.TinyModelDir;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.HfTokenizer;
import tech.tablesaw.api.Table;

class PerplexityTest {
  @TempDir static Path dir;
  private static PretrainedModel model;

  @BeforeAll
  static void load() throws IOException {
    TinyModelDir.write(dir, 11, TensorDType.F32, 64L << 20);
    model = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /**
   * The reference computation, written without the collator: the summed NLL and count of the tokens
   * that the full rendering adds after the prompt rendering, from one unbatched forward.
   */
  private static double[] nllOfAnswer(List<ChatMessage> prompt, String answer) {
    ChatTemplate template = model.chatTemplate().orElseThrow();
    List<ChatMessage> answered = new ArrayList<>(prompt);
    answered.add(ChatMessage.assistant(answer));
    int[] promptIds = model.tokenizer().encode(template.render(prompt, true), false);
    int[] ids = model.tokenizer().encode(template.render(answered, false), false);
    assertArrayEquals(
        promptIds, Arrays.copyOf(ids, promptIds.length), "the prompt is a token prefix");
    int vocab = TinyModelDir.CONFIG.vocabSize();
    try (NDManager scope = model.model().manager().newSubManager()) {
      long[] longIds = Arrays.stream(ids).asLongStream().toArray();
      float[] logits =
          model.model().forward(scope.create(longIds, new Shape(1, ids.length))).toFloatArray();
      double sum = 0;
      for (int t = promptIds.length - 1; t < ids.length - 1; t++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          max = Math.max(max, logits[t * vocab + v]);
        }
        double z = 0;
        for (int v = 0; v < vocab; v++) {
          z += Math.exp(logits[t * vocab + v] - max);
        }
        sum -= logits[t * vocab + ids[t + 1]] - max - Math.log(z);
      }
      return new double[] {sum, ids.length - promptIds.length};
    }
  }

  private static ExampleReply reply(LabelledExample e, List<ChatMessage> messages) {
    return new ExampleReply(e, "s", messages, 0, "ignored", null, null, 0, 0, 0);
  }

  @Test
  void perExampleItIsTheExpOfTheMeanAnswerTokenNll() {
    LabelledExample e = LabelledExample.of("p1", "What is 2+3?", "The answer is 5.");
    List<ChatMessage> prompt = List.of(ChatMessage.user(e.input()));
    double[] ref = nllOfAnswer(prompt, e.reference());
    ExampleScore s = Perplexity.of(model).score(reply(e, prompt));
    assertEquals(ref[1], s.totals()[1]);
    assertEquals(ref[0], s.totals()[0], 1e-3);
    assertEquals(Math.exp(ref[0] / ref[1]), s.value(), 1e-4 * s.value());
    // A random model over 272 tokens: near-uniform, so about 272.
    assertTrue(s.value() > 100 && s.value() < 800, "perplexity " + s.value());
  }

  @Test
  void fewShotAnswersAreContextNotScored() {
    LabelledExample e = LabelledExample.of("p2", "What is 2+3?", "5");
    FewShotBuilder fewShot =
        FewShotBuilder.builder()
            .setExamples(
                List.of(
                    new FewShotExample("What is 1+1?", "2"),
                    new FewShotExample("What is 3+4?", "7")))
            .setK(2)
            .build();
    List<ChatMessage> prompt = fewShot.messages(e.input());
    double[] ref = nllOfAnswer(prompt, e.reference());
    ExampleScore s = Perplexity.of(model).score(reply(e, prompt));
    assertEquals(ref[1], s.totals()[1]);
    assertEquals(ref[0], s.totals()[0], 1e-3);
  }

  @Test
  void overASetItIsTokenWeighted() {
    List<LabelledExample> set =
        List.of(
            LabelledExample.of("short", "Say hi.", "hi"),
            LabelledExample.of(
                "long", "Tell me a story.", "Once upon a time there was a small model."));
    EvalResult result =
        EvalHarness.builder()
            .setExamples(set)
            .addStrategy(Strategy.plain("plain", ScriptedChatModel.byPrompt("m", p -> "anything")))
            .addMetric(Perplexity.of(model))
            .build()
            .run();
    double[] a = nllOfAnswer(List.of(ChatMessage.user("Say hi.")), "hi");
    double[] b =
        nllOfAnswer(
            List.of(ChatMessage.user("Tell me a story.")),
            "Once upon a time there was a small model.");
    double expected = Math.exp((a[0] + b[0]) / (a[1] + b[1]));
    Table t = MetricsTable.of(result);
    assertEquals(expected, t.doubleColumn("perplexity").get(0), 1e-4 * expected);
    assertEquals(
        Math.exp(a[0] / a[1]), result.score("plain", "short", "perplexity"), 1e-4 * expected);
    // Not the mean of per-example perplexities, which would weigh the short answer as much.
    double unweighted = (Math.exp(a[0] / a[1]) + Math.exp(b[0] / b[1])) / 2;
    assertTrue(Math.abs(unweighted - expected) > 1e-3, "the test separates the two averages");
  }

  @Test
  void anAdaptedForwardPassPlugsInThroughTheBuilder() throws IOException {
    LabelledExample e = LabelledExample.of("p3", "Hi", "Hello");
    List<ChatMessage> prompt = List.of(ChatMessage.user("Hi"));
    List<Boolean> trainingFlags = new ArrayList<>();
    ForwardPass base = ForwardPass.of(model.model());
    ForwardPass tracked =
        new ForwardPass() {
          @Override
          public ai.djl.ndarray.NDArray logits(
              ai.djl.ndarray.NDArray ids, ai.djl.ndarray.NDArray mask,
              org.tuninglab.model.KvCache cache) {
            return base.logits(ids, mask, cache);
          }

          @Override
          public org.tuninglab.model.LlamaModel base() {
            return base.base();
          }

          @Override
          public void setTraining(boolean training) {
            trainingFlags.add(training);
          }
        };
    Perplexity p =
        Perplexity.builder()
            .setForwardPass(tracked)
            .setTokenizer(model.tokenizer())
            .setChatTemplate(model.chatTemplate().orElseThrow())
            .setManager(model.model().manager())
            .optName("perplexity_adapter")
            .build();
    assertEquals("perplexity_adapter", p.name());
    assertFalse(p.higherIsBetter());
    assertEquals(
        Perplexity.of(model).score(reply(e, prompt)).value(),
        p.score(reply(e, prompt)).value(),
        1e-6);
    assertEquals(List.of(false), trainingFlags); // dropout off while scoring
  }

  @Test
  void errorsNameWhatIsMissing() throws IOException {
    Perplexity tight =
        Perplexity.builder()
            .setForwardPass(ForwardPass.of(model.model()))
            .setTokenizer(model.tokenizer())
            .setChatTemplate(model.chatTemplate().orElseThrow())
            .setManager(model.model().manager())
            .optMaxLength(12)
            .build();
    LabelledExample e =
        LabelledExample.of("q42", "A long question that does not fit", "and its answer");
    IllegalArgumentException ex =
        assertThrows(
            IllegalArgumentException.class,
            () -> tight.score(reply(e, List.of(ChatMessage.user(e.input())))));
    assertTrue(
        ex.getMessage().startsWith("example 'q42': prompt and reference take"), ex.getMessage());
    assertTrue(
        ex.getMessage().endsWith("more than the 12 the perplexity metric allows"), ex.getMessage());

    ex = assertThrows(IllegalArgumentException.class, () -> Perplexity.builder().build());
    assertEquals("setForwardPass is required", ex.getMessage());

    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      // Not closed: it shares the test's model, which closes after all tests.
      PretrainedModel noTemplate = PretrainedModel.of(model.model(), tokenizer, null);
      ex = assertThrows(IllegalArgumentException.class, () -> Perplexity.of(noTemplate));
      assertEquals(
          "perplexity needs the model's chat template; this model has none", ex.getMessage());
    }
  }
}
