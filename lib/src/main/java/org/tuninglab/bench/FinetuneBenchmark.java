package org.tuninglab.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.chat.ForwardPassChatModel;
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.Example;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.SftCollator;
import org.tuninglab.eval.CorpusLoss;
import org.tuninglab.eval.EntityExtractor;
import org.tuninglab.eval.EntityOverlap;
import org.tuninglab.eval.EvalHarness;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExactMatch;
import org.tuninglab.eval.JsonValidity;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.eval.Strategy;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.prompt.PromptTemplate;
import org.tuninglab.train.DataConfig;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.ForwardPass;
import org.tuninglab.train.HoldoutLoss;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;
import org.tuninglab.train.TrainingCheckpoints;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Fine-tunes with a recipe config and measures the model before and after on the same holdout: the
 * holdout loss, and for the first examples a greedy answer scored by the evaluation harness (exact
 * match, valid JSON, entity F1; see {@link ExtractionScore}). The reference is the untuned model, measured in the same run.
 * Greedy decoding goes through each method's own forward pass, so prompt tuning's virtual tokens
 * take part. Given a general text (for the embedded model, the story holdout it was pretrained
 * beside), it also measures forgetting: that text's loss per token before and after.
 */
public final class FinetuneBenchmark {
  /** What one config did. */
  public record Row(
      String config,
      String method,
      long trainableParameters,
      double seconds,
      double lossBefore,
      double lossAfter,
      ExtractionScore before,
      ExtractionScore after,
      double generalLossBefore,
      double generalLossAfter) {}

  /** Tokens per packed window of the general text (fewer when the model's context is shorter). */
  public static final int GENERAL_TEXT_WINDOW = 256;

  private FinetuneBenchmark() {}

  /**
   * Runs one config.
   *
   * @param file the config's file (for the row's name)
   * @param config the config; its output folder receives the trained model or adapter
   * @param device where to train
   * @param scored how many holdout examples to answer greedily before and after
   * @param maxNewTokens the answer length limit
   * @param generalText a text file (documents separated by blank lines) whose loss before and
   *     after measures forgetting, or null to skip it (the row's general losses are then NaN)
   * @return the measurements
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public static Row run(
      Path file, SftConfig config, Device device, int scored, int maxNewTokens, Path generalText)
      throws IOException {
    Path out = config.trainer().outputDir();
    if (out != null) {
      Optional<Path> earlier = new TrainingCheckpoints(out).latest();
      if (earlier.isPresent()) {
        // The recipe would resume from it, and the row would time and score a finished run.
        throw new IllegalArgumentException(
            file + ": output_dir " + out + " holds a checkpoint of an earlier run ("
                + earlier.get().getFileName() + "); a benchmark trains from scratch, so remove"
                + " that folder or set another output_dir");
      }
    }
    List<PromptCompletion> holdout = holdout(config.data(), config.trainer().seed());
    List<PromptCompletion> sample = holdout.subList(0, Math.min(scored, holdout.size()));
    try (PretrainedModel pretrained =
        PretrainedModel.load(config.model(), device, config.precision().dataType())) {
      SftCollator collator = SftRecipe.collator(config.data(), pretrained);
      EncodedDataset encoded = collator.encodeAll(holdout);
      ForwardPass base = ForwardPass.of(pretrained.model());
      double lossBefore =
          HoldoutLoss.compute(
                  base,
                  collator,
                  encoded,
                  config.trainer().batchSize(),
                  pretrained.model().manager())
              .mean();
      ExtractionScore before =
          score(new ForwardPassChatModel("before", pretrained, base), config.data(), sample,
              maxNewTokens);
      double generalBefore = generalLoss(pretrained, base, generalText);

      long start = System.nanoTime();
      SftResult result = SftRecipe.run(config, pretrained);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<EvalReport> evals = result.training().evaluations();
      double lossAfter = evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).loss();

      ExtractionScore after;
      double generalAfter;
      long trainable;
      if (result.adapter() == null) {
        // A full fine-tune trained the loaded model's weights in place.
        trainable = pretrained.model().config().parameterCount();
        after =
            score(new ForwardPassChatModel("after", pretrained, base), config.data(), sample,
                maxNewTokens);
        generalAfter = generalLoss(pretrained, base, generalText);
      } else {
        try (PretrainedModel fresh =
                PretrainedModel.load(config.model(), device, config.precision().dataType());
            AdaptedModel adapted = loadAdapter(config.method(), result.adapter(), fresh)) {
          trainable = adapted.trainableArrays().stream().mapToLong(a -> a.array().size()).sum();
          ForwardPass tuned = ForwardPass.of(adapted);
          after =
              score(new ForwardPassChatModel("after", fresh, tuned), config.data(), sample,
                  maxNewTokens);
          generalAfter = generalLoss(fresh, tuned, generalText);
        }
      }
      return new Row(
          file.getFileName().toString(),
          config.method(),
          trainable,
          seconds,
          lossBefore,
          lossAfter,
          before,
          after,
          generalBefore,
          generalAfter);
    }
  }

  /**
   * The rows side by side, one per config: method, trainable parameters, seconds, the task's
   * holdout loss, the answer scores and the general text's loss, each before and after.
   *
   * @param title the table's name
   * @param rows the measured configs
   * @return the table
   */
  public static Table table(String title, List<Row> rows) {
    return Table.create(
        title,
        StringColumn.create("method", rows.stream().map(Row::method).toList()),
        LongColumn.create(
            "trainable", rows.stream().mapToLong(Row::trainableParameters).toArray()),
        DoubleColumn.create("seconds", column(rows, Row::seconds)),
        DoubleColumn.create("task loss before", column(rows, Row::lossBefore)),
        DoubleColumn.create("task loss after", column(rows, Row::lossAfter)),
        DoubleColumn.create("valid JSON after", column(rows, r -> r.after().validJson())),
        DoubleColumn.create("entity F1 after", column(rows, r -> r.after().entityF1())),
        DoubleColumn.create("exact match after", column(rows, r -> r.after().exactMatch())),
        DoubleColumn.create("general loss before", column(rows, Row::generalLossBefore)),
        DoubleColumn.create("general loss after", column(rows, Row::generalLossAfter)));
  }

  /**
   * A bar chart of what each method learned and forgot: the task's holdout loss and the general
   * text's loss after training, one bar pair per method, with the untuned model's values as the
   * first category.
   *
   * @param rows the measured configs (the first one's "before" values stand for the untuned model)
   * @return the chart
   * @throws IllegalArgumentException if there are no rows
   */
  public static CategoryChart lossChart(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to chart");
    }
    List<String> methods = new ArrayList<>(List.of("untuned"));
    List<Double> task = new ArrayList<>(List.of(rows.get(0).lossBefore()));
    List<Double> general = new ArrayList<>(List.of(rows.get(0).generalLossBefore()));
    for (Row r : rows) {
      methods.add(r.method());
      task.add(r.lossAfter());
      general.add(r.generalLossAfter());
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(720)
            .height(360)
            .title("Loss per token after one run (lower is better)")
            .xAxisTitle("model")
            .yAxisTitle("nats per token")
            .build();
    chart.addSeries("task holdout", methods, task);
    chart.addSeries("general text (forgetting)", methods, general);
    return chart;
  }

  private static double[] column(List<Row> rows, ToDoubleFunction<Row> value) {
    return rows.stream().mapToDouble(value).toArray();
  }

  private static double generalLoss(PretrainedModel model, ForwardPass forward, Path text)
      throws IOException {
    if (text == null) {
      return Double.NaN;
    }
    int window = Math.min(GENERAL_TEXT_WINDOW, model.model().config().maxPositions());
    return CorpusLoss.compute(model, forward, text, window).mean();
  }

  private static AdaptedModel loadAdapter(String method, Path dir, PretrainedModel model)
      throws IOException {
    return switch (method) {
      case "lora" -> LoraModel.load(dir, model.model());
      case "qlora" -> QloraModel.load(dir, model.model());
      case "prompt" -> PromptTuningModel.load(dir, model.model());
      default -> throw new IllegalArgumentException("no adapter for method " + method);
    };
  }

  /** The recipe's holdout: the same split, so the loss compares with the trainer's. */
  private static List<PromptCompletion> holdout(DataConfig data, long seed) throws IOException {
    List<Example> held = SftRecipe.split(data, seed).holdout();
    List<PromptCompletion> out = new ArrayList<>();
    for (Example e : held) {
      if (!(e instanceof PromptCompletion pc)) {
        throw new DatasetFormatException(
            data.trainFile(),
            1,
            "(file)",
            "this benchmark scores prompt/completion examples; "
                + e.origin()
                + " is a conversation");
      }
      out.add(pc);
    }
    return out;
  }

  /**
   * Greedy answers to the sample through {@code chat}, scored by the evaluation harness: exact
   * match (normalised), valid JSON, and F1 over typed entities ({@code people: Anna}) read from
   * the answer's and the reference's JSON.
   */
  private static ExtractionScore score(
      ChatModel chat, DataConfig data, List<PromptCompletion> sample, int maxNewTokens) {
    EntityExtractor typed = EntityExtractor.jsonFields();
    List<LabelledExample> labelled = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      PromptCompletion pc = sample.get(i);
      labelled.add(
          LabelledExample.of("holdout-" + i, pc.prompt(), pc.completion())
              .withEntitiesFromReference(typed));
    }
    PromptTemplate.Builder prompt = PromptTemplate.builder().setTemplate("{input}");
    if (data.systemPrompt() != null) {
      prompt.optSystemPrompt(data.systemPrompt());
    }
    EvalResult result =
        EvalHarness.builder()
            .setExamples(labelled)
            .addStrategy(Strategy.template(chat.name(), chat, prompt.build()))
            .addMetric(ExactMatch.normalized())
            .addMetric(JsonValidity.any())
            .addMetric(EntityOverlap.f1(typed))
            .optGeneration(GenerationConfig.greedy(maxNewTokens))
            .build()
            .run();
    return new ExtractionScore(
        sample.size(),
        result.value(chat.name(), "exact_match"),
        result.value(chat.name(), "json_valid"),
        result.value(chat.name(), "entity_f1"));
  }
}
