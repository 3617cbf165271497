package org.tuninglab.lesson;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.TrainingListener;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Methods side by side: each config's {@link BeforeAfter} on a freshly loaded model as one row
 * (trainable parameters, seconds, the task holdout's loss, the answer scores of {@link
 * ExtractionScore} and the general text's loss, before and after), the rows as a table and a
 * chart. Notebook 02 and {@code ./tuninglab bench finetune} show it.
 */
public final class FinetuneComparison {
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
      double generalLossAfter) {

    /** How much the general text's loss rose (negative: it fell); NaN when it was not measured. */
    public double forgetting() {
      return generalLossAfter - generalLossBefore;
    }
  }

  private FinetuneComparison() {}

  /**
   * Runs one config: a {@link BeforeAfter} on a freshly loaded model.
   *
   * @param file the config's file (for the row's name)
   * @param config the config; its output folder receives the trained model or adapter
   * @param device where to train
   * @param scored how many holdout examples to answer greedily before and after
   * @param maxNewTokens the answer length limit
   * @param generalText a text file (documents separated by blank lines) whose loss before and
   *     after measures forgetting, or null to skip it (the row's general losses are then NaN)
   * @param listeners see the training's progress (a notebook's live view)
   * @return the measurements
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public static Row run(
      Path file, SftConfig config, Device device, int scored, int maxNewTokens, Path generalText,
      TrainingListener... listeners)
      throws IOException {
    try {
      BeforeAfter.requireFreshOutput(config.trainer().outputDir()); // before the model loads
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    try (PretrainedModel pretrained =
        LanguageModel.loadPretrained(config.model(), device, config.precision().dataType())) {
      BeforeAfter comparison = BeforeAfter.of(config, pretrained, scored, maxNewTokens, generalText);
      comparison.before();
      comparison.train(listeners);
      comparison.after();
      return comparison.row(file.getFileName().toString());
    }
  }

  /** The file in a run's output folder that keeps its measurement for {@link #runOrReuse}. */
  static final String SAVED = "comparison.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A saved measurement and what it measured. */
  record Saved(String key, Row row) {}

  /**
   * As {@link #run}, keeping the measurement in the output folder ({@value #SAVED}); when the
   * folder already holds the measurement of the same preset, model, device and sample, returns it
   * instead of training again and prints a line saying so. Within one workshop run a notebook and
   * its worked solution share their folders ({@link Lab#sharedFolder}), so the solution reuses the
   * runs its notebook just made; anywhere else the folder is fresh and the run trains.
   *
   * @throws IllegalArgumentException if the folder holds the measurement of something else
   */
  public static Row runOrReuse(
      Path file, SftConfig config, Device device, int scored, int maxNewTokens, Path generalText,
      TrainingListener... listeners)
      throws IOException {
    Path saved = config.trainer().outputDir().resolve(SAVED);
    String key = key(file, config, device, scored, maxNewTokens, generalText);
    if (Files.isRegularFile(saved)) {
      Saved found = JSON.readValue(saved.toFile(), Saved.class);
      if (!found.key().equals(key)) {
        throw new IllegalArgumentException(saved + " measured " + found.key() + ", not " + key
            + ": give this run a fresh output folder");
      }
      System.out.println("reused the measurement in " + saved + " (made earlier in this workshop run)");
      return found.row();
    }
    Row row = run(file, config, device, scored, maxNewTokens, generalText, listeners);
    AtomicFiles.writeString(saved, JSON.writeValueAsString(new Saved(key, row)));
    return row;
  }

  /** What a measurement depends on: the preset's text (by hash), the model, the device, the sample. */
  static String key(Path file, SftConfig config, Device device, int scored, int maxNewTokens, Path generalText)
      throws IOException {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
      return file.getFileName() + " sha256:" + HexFormat.of().formatHex(hash).substring(0, 16) + ", model "
          + config.model() + " on " + device + ", " + scored + " answers of up to " + maxNewTokens
          + " tokens, general text " + generalText;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
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
}
