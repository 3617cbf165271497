package org.tuninglab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.common.Text;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.ReplyListener;
import org.tuninglab.eval.EvalHarness;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExactMatch;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.eval.Strategy;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

class TuningLabDisplayTest {

  @Test
  void isFoundByServiceLoaderLikeAnyJJavaExtension() {
    var found = ServiceLoader.load(Extension.class).stream().map(p -> p.type().getName()).collect(Collectors.toList());
    assertTrue(found.contains(TuningLabDisplay.class.getName()), found.toString());
  }

  @Test
  void rendersTablesAsHtmlAndChartsAsPng() {
    StubKernel kernel = new StubKernel();
    new TuningLabDisplay().install(kernel);
    Table table = Table.create("t", DoubleColumn.create("x", 1.0, 2.0));
    DisplayData tableData = kernel.getRenderer().render(table);
    assertTrue(((String) tableData.getData(Text.HTML)).startsWith("<table"));

    XYChart chart = new XYChartBuilder().width(200).height(120).title("c").build();
    chart.addSeries("s", new double[] {0, 1}, new double[] {1, 0});
    DisplayData chartData = kernel.getRenderer().render(chart);
    assertTrue(chartData.hasDataForType(Image.PNG));
    DisplayData svg = kernel.getRenderer().renderAs(chart, "image/svg+xml");
    assertTrue(((String) svg.getData(Image.SVG)).contains("<svg"));
  }

  @Test
  void rendersTheParameterReportWithPeftsLineAboveItsTable() {
    StubKernel kernel = new StubKernel();
    new TuningLabDisplay().install(kernel);
    org.tuninglab.model.ModelConfig config = org.tuninglab.model.ModelConfig.builder().setVocabSize(64)
        .setHiddenSize(32).setIntermediateSize(48).setNumLayers(2).setNumHeads(4).build();
    var report = org.tuninglab.peft.ParameterReport.of(config, org.tuninglab.peft.MethodSpec.full());
    DisplayData data = kernel.getRenderer().render(report);
    String html = (String) data.getData(Text.HTML);
    assertTrue(html.startsWith("<p><code>full: trainable params: 21,664 || all params: 21,664"), html);
    assertTrue(html.contains("<table"), html);
    assertEquals(report.format(), data.getData(Text.PLAIN));
  }

  @Test
  void rendersAnEvaluationAsItsMetricsAndCategoryTables() {
    StubKernel kernel = new StubKernel();
    new TuningLabDisplay().install(kernel);
    ChatModel echo = new ChatModel() {
      @Override
      public String name() {
        return "echo";
      }

      @Override
      public ChatReply chat(
          List<ChatMessage> messages, GenerationConfig config, ReplyListener onDelta) {
        String input = messages.get(messages.size() - 1).content();
        if (input.equals("down")) {
          throw new ChatModelException("scripted failure");
        }
        return new ChatReply(input, FinishReason.STOP_TOKEN, 1, 1);
      }
    };
    EvalResult result = EvalHarness.builder()
        .setExamples(List.of(
            new LabelledExample("1", "yes", Map.of(), "yes", null, "easy"),
            new LabelledExample("2", "no", Map.of(), "yes", null, "hard"),
            new LabelledExample("3", "down", Map.of(), "yes", null, "hard")))
        .addStrategy(Strategy.plain("echo", echo))
        .addMetric(ExactMatch.normalized())
        .build()
        .run();
    DisplayData data = kernel.getRenderer().render(result);
    String html = (String) data.getData(Text.HTML);
    assertTrue(
        html.startsWith("<p>1 strategy × 3 examples, 1 failed reply (counted, not scored)</p>"
            + "<table class=\"tuninglab-table\"><caption>metrics</caption>"),
        html);
    assertTrue(html.contains("<caption>metrics by category</caption>"), html);
    // Exact match over the two answered examples: "yes" matches, "no" does not.
    assertTrue(html.contains("<td style=\"text-align:left\">echo</td><td>3</td><td>1</td><td>0.5</td>"), html);
    String plain = (String) data.getData(Text.PLAIN);
    assertTrue(plain.startsWith("1 strategy × 3 examples"), plain);
    assertTrue(plain.contains("exact_match"), plain);
  }

  @Test
  void installsWithoutTablesawAndXChart() throws Exception {
    Path classes = Path.of(TuningLabDisplay.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes.toUri().toURL()}, new HidingLoader())) {
      Class<?> type = Class.forName(TuningLabDisplay.class.getName(), true, isolated);
      assertEquals(isolated, type.getClassLoader());
      StubKernel kernel = new StubKernel();
      ((Extension) type.getConstructor().newInstance()).install(kernel);
      DisplayData plain = kernel.getRenderer().render(new Object() {
        @Override
        public String toString() {
          return "plain";
        }
      });
      assertEquals("plain", plain.getData(Text.PLAIN));
    }
  }

  /** The test's class loader minus Tablesaw, XChart and this module's own classes. */
  private static final class HidingLoader extends ClassLoader {

    HidingLoader() {
      super(TuningLabDisplayTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("tech.tablesaw.") || name.startsWith("org.knowm.xchart.") || name.startsWith("org.tuninglab.display.")) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }
  }
}
