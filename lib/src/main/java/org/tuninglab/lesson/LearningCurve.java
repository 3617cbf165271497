package org.tuninglab.lesson;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tuninglab.data.Example;
import org.tuninglab.data.ExampleFiles;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.Split;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;
import org.tuninglab.train.StepReport;
import org.tuninglab.train.TrainingListener;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How much data fine-tuning needs, measured: a preset trained on the first {@code n} examples of a
 * seeded shuffle of its training split, for several {@code n}, each run scored on the same
 * holdout items (exact match, entity F1, the holdout's loss).
 *
 * <p>Every run makes the <b>same number of updates</b> ({@link #steps()}), so a small set is seen
 * many times and a large one once or less: the runs differ in data only, not in compute, which is
 * what the question "how many examples?" asks (with a fixed number of epochs instead, ten
 * examples would get one update and the curve would measure compute). The budget is the step cap
 * of the settings, or else the preset's updates over its whole training split (three epochs for the
 * presets). Under a cap, a size above {@code steps × batch size} examples is not seen completely,
 * which the table shows as fewer than one epoch.
 *
 * <p>The shuffle uses the preset's seed; each run trains from the pretrained model into its own
 * folder under the work folder ({@code config.yaml}, {@code train.jsonl}, the adapter, the
 * measurement), and its
 * holdout is {@code holdout.jsonl} there: the first items of the preset's holdout, also the file
 * each run evaluates its loss on (once, at its last update).
 */
public final class LearningCurve {
  /** A size that means the whole training split. */
  public static final int ALL = Integer.MAX_VALUE;

  /** The sizes of the slides' claim: ten, 50 to 100, a few hundred, everything. */
  public static final List<Integer> SIZES = List.of(10, 50, 100, 400, ALL);

  /** The file in a run's folder that keeps its measurement. */
  static final String SAVED = "data-run.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A saved measurement and what it measured. */
  record Saved(String key, DataRun run) {}

  private final Lab lab;
  private final String method;
  private final SftConfig preset;
  private final LessonBench.Settings settings;
  private final Path work;
  private final Path holdoutFile;
  private final List<PromptCompletion> training;
  private final List<PromptCompletion> holdout;
  private final int steps;

  private LearningCurve(
      Lab lab, String method, SftConfig preset, LessonBench.Settings settings, Path work,
      List<PromptCompletion> training, List<PromptCompletion> holdout) throws IOException {
    this.lab = lab;
    this.method = method;
    this.preset = preset;
    this.settings = settings;
    this.work = work;
    this.training = List.copyOf(training);
    this.holdout = List.copyOf(holdout);
    this.holdoutFile = ExampleFiles.write(work.resolve("holdout.jsonl"), holdout, preset.data().fields());
    int batch = preset.trainer().batchSize();
    int accumulation = preset.trainer().gradAccumulation();
    int presetSteps = preset.trainer().maxSteps() > 0 ? preset.trainer().maxSteps()
        : preset.trainer().epochs() * Math.max(1, (training.size() + batch - 1) / batch / accumulation);
    this.steps = settings.maxSteps() != null ? settings.maxSteps() : presetSteps;
  }

  /**
   * A curve over a method's preset; nothing is trained yet.
   *
   * @param lab the model, the device and the checkout
   * @param method a method with a preset ({@link Lab#preset}), e.g. {@code lora}
   * @param settings the holdout items answered, the answers' length limit, and the step cap
   * @param work the folder every run writes under
   * @return the curve
   * @throws IOException if the preset or its data cannot be read, or the work folder written
   */
  public static LearningCurve of(Lab lab, String method, LessonBench.Settings settings, Path work)
      throws IOException {
    Files.createDirectories(work);
    SftConfig preset = lab.config(lab.preset(method), Map.of(), work.resolve("preset.yaml"));
    long seed = preset.trainer().seed();
    Split<Example> split = SftRecipe.split(preset.data(), seed);
    List<PromptCompletion> shuffled = Split.shuffled(LessonBench.promptCompletions(split.train()), seed);
    List<PromptCompletion> held = LessonBench.promptCompletions(split.holdout());
    return new LearningCurve(lab, method, preset, Objects.requireNonNull(settings, "settings"), work,
        shuffled, held.subList(0, Math.min(settings.items(), held.size())));
  }

  /** The preset's training split in the seeded order the runs take their first {@code n} from. */
  public List<PromptCompletion> training() {
    return training;
  }

  /** The holdout items every run answers. */
  public List<PromptCompletion> holdout() {
    return holdout;
  }

  /** The preset, with this lab's model and absolute paths. */
  public SftConfig preset() {
    return preset;
  }

  /** The updates every run makes. */
  public int steps() {
    return steps;
  }

  /**
   * Trains on the first {@code size} examples and scores the answers.
   *
   * @param size how many examples, {@link #ALL} (or any number above the split's) for all
   * @param progress called with the updates and answers done and their total ({@link #work()})
   * @return the run
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public DataRun train(int size, BiConsumer<Integer, Integer> progress) throws IOException {
    List<PromptCompletion> examples = first(size);
    return run(label(examples.size()), examples, 0, progress, 0, work());
  }

  /**
   * Trains on each size in turn, as {@link #train(int, BiConsumer)}.
   *
   * @param sizes the sizes, e.g. {@link #SIZES}
   * @param progress called with the updates and answers done over all sizes and their total
   * @return the runs, in the sizes' order
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public List<DataRun> train(List<Integer> sizes, BiConsumer<Integer, Integer> progress)
      throws IOException {
    List<DataRun> runs = new ArrayList<>();
    for (int size : sizes) {
      List<PromptCompletion> examples = first(size);
      runs.add(run(label(examples.size()), examples, 0, progress, runs.size() * work(),
          sizes.size() * work()));
    }
    return runs;
  }

  /**
   * Trains on the first {@code size} examples with a fraction of their completions corrupted, and
   * scores the answers on the same holdout.
   *
   * @param size how many examples, as for {@link #train(int, BiConsumer)}
   * @param corruption which examples get a wrong completion
   * @param progress called with the updates and answers done and their total
   * @return the run
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public DataRun trainCorrupted(int size, Corruption corruption, BiConsumer<Integer, Integer> progress)
      throws IOException {
    Corruption.Result spoiled = corruption.apply(first(size));
    return run(String.format(Locale.ROOT, "%s, %.0f %% corrupted",
            label(spoiled.examples().size()), 100 * corruption.fraction()),
        spoiled.examples(), spoiled.corrupted().size(), progress, 0, work());
  }

  /** The progress units of one run: its updates, then its answers. */
  public int work() {
    return steps + holdout.size();
  }

  /**
   * The runs side by side.
   *
   * @param title the table's name
   * @param runs the runs, in the order shown
   * @return one row a run: examples, corrupted, updates, epochs, the holdout's loss, exact match,
   *     entity F1 and the training time
   */
  public Table table(String title, List<DataRun> runs) {
    int batch = preset.trainer().batchSize();
    return Table.create(title,
        StringColumn.create("run", runs.stream().map(DataRun::name).toList()),
        IntColumn.create("examples", runs.stream().mapToInt(DataRun::examples).toArray()),
        IntColumn.create("corrupted", runs.stream().mapToInt(DataRun::corrupted).toArray()),
        IntColumn.create("updates", runs.stream().mapToInt(DataRun::steps).toArray()),
        DoubleColumn.create("epochs", runs.stream().mapToDouble(r -> r.epochs(batch)).toArray()),
        DoubleColumn.create("task holdout loss", runs.stream().mapToDouble(DataRun::taskLoss).toArray()),
        DoubleColumn.create("exact_match", runs.stream().mapToDouble(r -> r.score().exactMatch()).toArray()),
        DoubleColumn.create("entity_f1", runs.stream().mapToDouble(r -> r.score().entityF1()).toArray()),
        DoubleColumn.create("seconds", runs.stream().mapToDouble(DataRun::seconds).toArray()));
  }

  /**
   * The learning curve: entity F1 and exact match against the training examples (a log axis), the
   * holdout's loss on a right-hand axis of its own (it moves before the answers do), and, when
   * given, other runs (a corrupted one) as single F1 points beside it.
   *
   * @param title the chart's title
   * @param curve the clean runs
   * @param beside runs drawn as points of their own
   * @return a 560 × 320 chart
   * @throws IllegalArgumentException if the curve is empty
   */
  public static XYChart chart(String title, List<DataRun> curve, DataRun... beside) {
    if (curve.isEmpty()) {
      throw new IllegalArgumentException("no runs to draw: train at least one size first");
    }
    XYChart chart = new XYChartBuilder().width(560).height(320).title(title)
        .xAxisTitle("training examples (log scale)").yAxisTitle("score on the holdout").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0, 0.0);
    chart.getStyler().setYAxisMax(0, 1.0);
    // The loss axis starts at 0 too: an axis fitted to the points would draw noise as a trend.
    chart.getStyler().setYAxisMin(1, 0.0);
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.setYAxisGroupTitle(1, "holdout loss");
    double[] x = curve.stream().mapToDouble(DataRun::examples).toArray();
    chart.addSeries("entity F1", x, curve.stream().mapToDouble(r -> r.score().entityF1()).toArray());
    chart.addSeries("exact match", x, curve.stream().mapToDouble(r -> r.score().exactMatch()).toArray());
    chart.addSeries("holdout loss", x, curve.stream().mapToDouble(DataRun::taskLoss).toArray())
        .setYAxisGroup(1);
    for (DataRun r : beside) {
      XYSeries point = chart.addSeries("F1, " + r.name(), new double[] {r.examples()},
          new double[] {r.score().entityF1()});
      point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      point.setMarker(SeriesMarkers.DIAMOND);
    }
    return chart;
  }

  private List<PromptCompletion> first(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("training size " + size + ": expected at least 1 example");
    }
    return training.subList(0, Math.min(size, training.size()));
  }

  private String label(int examples) {
    return examples == training.size() ? "all " + examples + " examples" : examples + " examples";
  }

  /**
   * One run: its own folder, the preset on these examples and the shared holdout, scored after.
   * A folder already holding the same run's measurement ({@value #SAVED}: the same examples,
   * updates, model, device and answers) is read back instead of trained again, so a worked
   * solution sharing its notebook's folder ({@link Lab#sharedFolder}) reuses the notebook's runs.
   */
  private DataRun run(String name, List<PromptCompletion> examples, int corrupted,
      BiConsumer<Integer, Integer> progress, int offset, int total) throws IOException {
    String slug = name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
    String key = key(name, examples);
    Path earlier = work.resolve(slug).resolve(SAVED);
    if (Files.isRegularFile(earlier)) {
      Saved found = JSON.readValue(earlier.toFile(), Saved.class);
      if (found.key().equals(key)) {
        progress.accept(offset + work(), total);
        System.out.println("reused the run in " + earlier.getParent() + " (made earlier in this workshop run)");
        return found.run();
      }
    }
    Path dir = LessonBench.folder(work, slug);
    Path trainFile = ExampleFiles.write(dir.resolve("train.jsonl"), examples, preset.data().fields());
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("train_file", trainFile.toString());
    keys.put("eval_file", holdoutFile.toString());
    keys.put("output_dir", dir.resolve("output").toString());
    keys.put("max_steps", steps);
    keys.put("eval_every", steps);
    SftConfig config = lab.config(lab.preset(method), keys, dir.resolve("config.yaml"));
    try (PretrainedModel model =
        LanguageModel.loadPretrained(config.model(), lab.djlDevice(), config.precision().dataType())) {
      BeforeAfter run = BeforeAfter.of(config, model, holdout.size(), settings.maxNewTokens(), null);
      run.onAnswer((done, n) -> progress.accept(offset + steps + done, total));
      long start = System.nanoTime();
      SftResult result = run.train(new TrainingListener() {
        @Override
        public void onStep(StepReport r) {
          progress.accept(offset + (int) r.step(), total);
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      Measurement after = run.after();
      DataRun measured = new DataRun(name, examples.size(), corrupted,
          (int) result.training().steps(), after.taskLoss(), after.score(), seconds,
          result.adapter());
      AtomicFiles.writeString(dir.resolve(SAVED), JSON.writeValueAsString(new Saved(key, measured)));
      return measured;
    }
  }

  /** What a run's measurement depends on: its examples (by hash), updates, model, device, answers. */
  private String key(String name, List<PromptCompletion> examples) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (PromptCompletion pc : examples) {
        sha.update((pc.prompt() + '\u0000' + pc.completion() + '\u0000').getBytes(StandardCharsets.UTF_8));
      }
      return String.format(Locale.ROOT,
          "%s: %s %d examples sha256:%s, %d updates, model %s on %s, %d answers of up to %d tokens",
          name, method, examples.size(), HexFormat.of().formatHex(sha.digest()).substring(0, 16),
          steps, preset.model(), lab.device(), holdout.size(), settings.maxNewTokens());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
