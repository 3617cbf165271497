package org.tuninglab.lesson;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.parallel.ComputeDtype;
import org.tuninglab.parallel.GpuMemory;
import org.tuninglab.parallel.MemoryPlanner;
import org.tuninglab.parallel.OptimizerKind;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.ScheduleKind;
import org.tuninglab.train.StepReport;
import org.tuninglab.train.Trainer;
import org.tuninglab.train.TrainerConfig;
import org.tuninglab.train.TrainingListener;
import org.tuninglab.train.TrainingResult;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The batch-size study: the same model, data and number of training examples over a grid of
 * micro-batch sizes × accumulation steps, each cell trained from the same initial weights through
 * {@link Trainer}'s public builder, measured in one run: tokens/s, step time, updates, final train
 * and holdout loss and their gap, loss-vs-tokens curves, and peak memory: the planner's and, when
 * each cell runs in a JVM of its own ({@link ConfigBatchStudy}), the measured one. One more row
 * checks that k accumulated micro-batches of b make the same update as one batch of k·b.
 */
public final class BatchSizeStudy {
  /** A fresh model with the method applied, the same initial weights on every call. */
  @FunctionalInterface
  public interface Trainee {
    /**
     * Builds the model; the study closes it and its base model after the cell.
     *
     * @throws IOException if the weights cannot be read
     */
    AdaptedModel create() throws IOException;
  }

  /** Trains one cell of the grid: in this JVM ({@link #cell}), or in one of its own. */
  @FunctionalInterface
  public interface CellTrainer {
    /**
     * Trains micro-batch {@code b} × accumulation {@code k}.
     *
     * @throws IOException if the model cannot be built or a child JVM fails
     */
    Cell train(int microBatch, int accumulation) throws IOException;
  }

  /** Closes the adapted model, then its base. */
  static void close(AdaptedModel adapted) {
    LlamaModel base = adapted.base();
    adapted.close();
    base.close();
  }

  /**
   * What to study.
   *
   * @param microBatches micro-batch sizes
   * @param accumulations accumulation steps
   * @param examples training examples every cell sees (its updates: examples / (b k))
   * @param baseLr the learning rate at the smallest effective batch of the grid
   * @param scaling how the learning rate follows the effective batch
   * @param evaluations holdout evaluations per cell (evenly spaced, the last at the end)
   * @param base the trainer settings every cell starts from (schedule, clipping, AdamW, seed)
   */
  public record Settings(
      List<Integer> microBatches,
      List<Integer> accumulations,
      int examples,
      double baseLr,
      LrScaling scaling,
      int evaluations,
      TrainerConfig base) {
    public Settings {
      microBatches = List.copyOf(microBatches);
      accumulations = List.copyOf(accumulations);
      Objects.requireNonNull(scaling, "scaling");
      Objects.requireNonNull(base, "base");
      if (microBatches.isEmpty() || accumulations.isEmpty()) {
        throw new IllegalArgumentException("the grid needs at least one micro-batch and one accumulation");
      }
      for (int v : microBatches) {
        requirePositive("--micro-batches", v);
      }
      for (int v : accumulations) {
        requirePositive("--accumulations", v);
      }
      requirePositive("--examples", examples);
      requirePositive("--evaluations", evaluations);
      int largest = microBatches.stream().mapToInt(Integer::intValue).max().orElseThrow()
          * accumulations.stream().mapToInt(Integer::intValue).max().orElseThrow();
      if (examples < largest) {
        throw new IllegalArgumentException("--examples (" + examples + ") must be at least the"
            + " largest effective batch of the grid (" + largest + ") for one update");
      }
      if (!(baseLr > 0)) {
        throw new IllegalArgumentException("--lr must be positive, got " + baseLr);
      }
    }

    private static void requirePositive(String option, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(option + " values must be at least 1, got " + value);
      }
    }

    /** The smallest effective batch of the grid: the base learning rate is for it. */
    public int baseBatch() {
      return microBatches.stream().mapToInt(Integer::intValue).min().orElseThrow()
          * accumulations.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }
  }

  /**
   * A point of a loss curve.
   *
   * @param tokens training tokens seen: examples seen times the mean example length
   * @param loss the mean token loss
   */
  public record Point(double tokens, double loss) {}

  /**
   * One cell of the grid.
   *
   * @param microBatch examples per forward pass
   * @param accumulation micro-batches per update
   * @param lr the learning rate after scaling
   * @param updates optimizer steps
   * @param seconds wall time of the whole cell's training (evaluations included)
   * @param tokensPerSecond mean of the steps' tokens/s (padding excluded, evaluations not)
   * @param stepSeconds wall seconds per update, evaluations excluded (from the steps' tokens/s)
   * @param plannedPeakBytes the memory planner's peak for this micro-batch at the longest example
   * @param measuredPeakBytes the cell's measured peak resident set over the resident set before
   *     its model was built, in a JVM of its own with live-bytes allocator settings ({@link
   *     org.tuninglab.io.ResidentMemory}); -1 when the cell ran in the caller's JVM, unmeasured
   * @param trainLoss the mean loss of the last update
   * @param holdoutLoss the holdout loss at the end
   * @param train the loss of every update against tokens
   * @param holdout the holdout loss at each evaluation against tokens
   */
  public record Cell(
      int microBatch,
      int accumulation,
      double lr,
      long updates,
      double seconds,
      double tokensPerSecond,
      double stepSeconds,
      long plannedPeakBytes,
      long measuredPeakBytes,
      double trainLoss,
      double holdoutLoss,
      List<Point> train,
      List<Point> holdout) {

    /** Examples per update. */
    public int effectiveBatch() {
      return microBatch * accumulation;
    }

    /** Holdout minus train loss at the end. */
    public double gap() {
      return holdoutLoss - trainLoss;
    }

    /** "b x k". */
    public String label() {
      return microBatch + " x " + accumulation;
    }

    /** This cell with its measured peak. */
    public Cell withMeasuredPeak(long bytes) {
      return new Cell(microBatch, accumulation, lr, updates, seconds, tokensPerSecond, stepSeconds,
          plannedPeakBytes, bytes, trainLoss, holdoutLoss, train, holdout);
    }
  }

  /**
   * The accumulation check: two updates from the same weights and examples, accumulated and not.
   *
   * @param microBatch the accumulated run's micro-batch
   * @param accumulation its accumulation steps
   * @param maxAbsDifference the largest difference between the two runs' weights after two updates
   * @param lossDifference the difference of their second updates' losses
   */
  public record Equivalence(
      int microBatch, int accumulation, double maxAbsDifference, double lossDifference) {}

  /**
   * The study's outcome.
   *
   * @param settings what was studied
   * @param meanExampleTokens the mean length of a training example
   * @param cells one per grid cell, micro-batch major
   * @param equivalence the accumulation check
   */
  public record Result(
      Settings settings, double meanExampleTokens, List<Cell> cells, Equivalence equivalence) {

    /** One row per cell, then the equivalence row. */
    public Table table() {
      Table t = Table.create("batch size study (" + settings.scaling().label() + " lr scaling)",
          StringColumn.create("b x k"), IntColumn.create("effective batch"),
          DoubleColumn.create("lr"), LongColumn.create("updates"),
          DoubleColumn.create("tokens/s"), DoubleColumn.create("step s"),
          DoubleColumn.create("planned peak MB"), DoubleColumn.create("measured peak MB"),
          DoubleColumn.create("train loss"), DoubleColumn.create("holdout loss"),
          DoubleColumn.create("gap"));
      for (Cell c : cells) {
        t.stringColumn(0).append(c.label());
        t.intColumn(1).append(c.effectiveBatch());
        t.doubleColumn(2).append(Double.parseDouble(String.format(Locale.ROOT, "%.3g", c.lr())));
        t.longColumn(3).append(c.updates());
        t.doubleColumn(4).append(round(c.tokensPerSecond(), 1));
        t.doubleColumn(5).append(round(c.stepSeconds(), 4));
        t.doubleColumn(6).append(round(c.plannedPeakBytes() / 1e6, 1));
        if (c.measuredPeakBytes() < 0) {
          t.doubleColumn(7).appendMissing();
        } else {
          t.doubleColumn(7).append(round(c.measuredPeakBytes() / 1e6, 1));
        }
        t.doubleColumn(8).append(round(c.trainLoss(), 4));
        t.doubleColumn(9).append(round(c.holdoutLoss(), 4));
        t.doubleColumn(10).append(round(c.gap(), 4));
      }
      return t;
    }

    /** The training loss of every cell against tokens. */
    public XYChart trainChart() {
      return chart("training loss", false);
    }

    /** The holdout loss of every cell against tokens. */
    public XYChart holdoutChart() {
      return chart("holdout loss", true);
    }

    private XYChart chart(String title, boolean holdout) {
      XYChart chart = new XYChartBuilder().width(800).height(450).title(title)
          .xAxisTitle("training tokens").yAxisTitle("loss").build();
      chart.getStyler().setXAxisDecimalPattern("#,##0"); // tokens are counted: no "208.027777777777" ticks
      for (Cell c : cells) {
        List<Point> points = holdout ? c.holdout() : c.train();
        chart.addSeries(c.label(), points.stream().mapToDouble(Point::tokens).toArray(),
            points.stream().mapToDouble(Point::loss).toArray());
      }
      return chart;
    }

    private static double round(double v, int digits) {
      double scale = Math.pow(10, digits);
      return Math.round(v * scale) / scale;
    }
  }

  private BatchSizeStudy() {}

  /**
   * Trains every cell of the grid in this JVM (peaks planned, not measured), then the accumulation
   * check, and prints the table.
   *
   * @param s the grid and settings
   * @param trainee builds the model with its method, from the same weights every time
   * @param collator pads micro-batches
   * @param train the training examples (the first {@code s.examples()} in the trainer's order)
   * @param holdout the holdout examples
   * @param log where progress and the table go
   * @return the cells and the check
   * @throws IOException if a model cannot be built
   */
  public static Result run(Settings s, Trainee trainee, SftCollator collator, EncodedDataset train,
      EncodedDataset holdout, PrintStream log) throws IOException {
    return run(s, trainee, collator, train, holdout, log, (done, cell) -> { });
  }

  /** As above; {@code onCell} hears each finished cell with the count of cells done so far. */
  public static Result run(Settings s, Trainee trainee, SftCollator collator, EncodedDataset train,
      EncodedDataset holdout, PrintStream log, BiConsumer<Integer, Cell> onCell)
      throws IOException {
    return run(s, (b, k) -> cell(s, trainee, collator, train, holdout, b, k), trainee, collator,
        train, holdout, log, onCell);
  }

  /**
   * As above, with every cell trained by {@code cells} (in a JVM of its own, to measure its peak);
   * the accumulation check runs in this JVM with {@code trainee}.
   */
  public static Result run(Settings s, CellTrainer cells, Trainee trainee, SftCollator collator,
      EncodedDataset train, EncodedDataset holdout, PrintStream log,
      BiConsumer<Integer, Cell> onCell) throws IOException {
    requireExamples(train, holdout);
    List<Cell> done = new ArrayList<>();
    for (int b : s.microBatches()) {
      for (int k : s.accumulations()) {
        Cell cell = cells.train(b, k);
        log.printf("  %-8s lr %.2e: %d updates, %.1f tokens/s, train %.4f, holdout %.4f%n",
            cell.label(), cell.lr(), cell.updates(), cell.tokensPerSecond(), cell.trainLoss(),
            cell.holdoutLoss());
        done.add(cell);
        onCell.accept(done.size(), cell);
      }
    }
    Equivalence eq = equivalence(s, trainee, collator, train);
    Result result = new Result(s, meanTokens(train), done, eq);
    log.println(result.table().print());
    log.printf("  k x b equivalence: %d micro-batches of %d vs one batch of %d, two updates from the"
            + " same weights: max |weight difference| %.2e, second loss difference %.2e%n",
        eq.accumulation(), eq.microBatch(), eq.accumulation() * eq.microBatch(),
        eq.maxAbsDifference(), eq.lossDifference());
    return result;
  }

  private static void requireExamples(EncodedDataset train, EncodedDataset holdout) {
    if (train.size() == 0 || holdout.size() == 0) {
      throw new IllegalArgumentException("the study needs training and holdout examples, got "
          + train.size() + " and " + holdout.size());
    }
  }

  private static double meanTokens(EncodedDataset train) {
    return train.examples().stream().mapToInt(EncodedExample::length).average().orElseThrow();
  }

  /**
   * Trains one cell of the grid in this JVM, from a fresh model; its peak is planned, not
   * measured ({@link Cell#measuredPeakBytes()} -1).
   *
   * @param s the grid and settings (the learning rate follows the cell's effective batch)
   * @param microBatch b
   * @param accumulation k
   * @return the cell
   * @throws IOException if the model cannot be built
   */
  public static Cell cell(Settings s, Trainee trainee, SftCollator collator, EncodedDataset train,
      EncodedDataset holdout, int microBatch, int accumulation) throws IOException {
    requireExamples(train, holdout);
    int b = microBatch;
    int k = accumulation;
    double meanTokens = meanTokens(train);
    int longest = train.examples().stream().mapToInt(EncodedExample::length).max().orElseThrow();
    int updates = Math.max(1, s.examples() / (b * k));
    double lr = s.baseLr() * s.scaling().factor(b * k, s.baseBatch());
    int evalEvery = Math.max(1, updates / s.evaluations());
    TrainerConfig config = withBatch(s.base(), b, k, lr, updates, evalEvery);
    double tokensPerUpdate = b * k * meanTokens;
    List<Point> trainCurve = new ArrayList<>();
    List<Point> holdoutCurve = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(StepReport r) {
        trainCurve.add(new Point(r.step() * tokensPerUpdate, r.loss()));
        rates.add(r.tokensPerSecond());
      }

      @Override
      public void onEvaluation(EvalReport r) {
        holdoutCurve.add(new Point(r.step() * tokensPerUpdate, r.loss()));
      }
    };
    long start = System.nanoTime();
    AdaptedModel adapted = trainee.create();
    try {
      TrainingResult result = Trainer.builder().setAdaptedModel(adapted).setCollator(collator)
          .setTrainData(train).optHoldout(holdout).setConfig(config).optListener(listener)
          .build().fit();
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      ModelConfig model = adapted.base().config();
      long planned = MemoryPlanner.plan(model,
          new PlanSettings(adapted.method(), ComputeDtype.FP32, OptimizerKind.ADAMW, b, longest,
              false), new GpuMemory("host", Long.MAX_VALUE)).totalBytes();
      List<Double> losses = result.losses();
      double holdoutLoss = holdoutCurve.isEmpty() ? Double.NaN
          : holdoutCurve.get(holdoutCurve.size() - 1).loss();
      return new Cell(b, k, lr, result.steps(), seconds, rate,
          rate > 0 ? tokensPerUpdate / rate : Double.NaN, planned, -1,
          losses.get(losses.size() - 1), holdoutLoss, trainCurve, holdoutCurve);
    } finally {
      close(adapted);
    }
  }

  /**
   * Two updates of b_min x k_max against two of (b_min k_max) x 1, from the same weights and
   * examples, at a constant learning rate without warmup or clipping, so that the second update
   * depends on the first's gradients and nothing rescales them.
   */
  private static Equivalence equivalence(Settings s, Trainee trainee, SftCollator collator,
      EncodedDataset train) throws IOException {
    int b = s.microBatches().stream().mapToInt(Integer::intValue).min().orElseThrow();
    int k = Math.max(2, s.accumulations().stream().mapToInt(Integer::intValue).max().orElseThrow());
    Map<String, float[]> accumulated = new LinkedHashMap<>();
    Map<String, float[]> whole = new LinkedHashMap<>();
    double lossAccumulated = twoUpdates(s, trainee, collator, train, b, k, accumulated);
    double lossWhole = twoUpdates(s, trainee, collator, train, b * k, 1, whole);
    double max = 0;
    for (var e : accumulated.entrySet()) {
      float[] a = e.getValue();
      float[] w = whole.get(e.getKey());
      for (int i = 0; i < a.length; i++) {
        max = Math.max(max, Math.abs(a[i] - w[i]));
      }
    }
    return new Equivalence(b, k, max, Math.abs(lossAccumulated - lossWhole));
  }

  /** Trains two updates; returns the second's loss and puts the trained weights in {@code weights}. */
  private static double twoUpdates(Settings s, Trainee trainee, SftCollator collator,
      EncodedDataset train, int b, int k, Map<String, float[]> weights) throws IOException {
    TrainerConfig config = TrainerConfig.builder().optLr(s.baseLr())
        .optSchedule(ScheduleKind.CONSTANT).optAdamW(s.base().adamw()).optMaxGradNorm(0)
        .optBatchSize(b).optGradAccumulation(k).optMaxSteps(2).optSeed(s.base().seed()).build();
    AdaptedModel adapted = trainee.create();
    try {
      TrainingResult result = Trainer.builder().setAdaptedModel(adapted).setCollator(collator)
          .setTrainData(train).setConfig(config).build().fit();
      adapted.trainableArrays().forEach(a -> weights.put(a.name(), toFloats(a.array())));
      return result.losses().get(1);
    } finally {
      close(adapted);
    }
  }

  private static float[] toFloats(NDArray a) {
    return a.toType(DataType.FLOAT32, false).toFloatArray();
  }

  /** The base settings with this cell's batch, learning rate, updates and evaluations. */
  private static TrainerConfig withBatch(TrainerConfig c, int b, int k, double lr, int updates,
      int evalEvery) {
    return TrainerConfig.builder().optLr(lr).optSchedule(c.schedule())
        .optWarmupSteps(c.warmupSteps()).optWarmupRatio(c.warmupRatio()).optAdamW(c.adamw())
        .optMaxGradNorm(c.maxGradNorm()).optBatchSize(b).optGradAccumulation(k)
        .optMaxSteps(updates).optEvalEvery(evalEvery).optSeed(c.seed())
        .optGroupByLength(c.groupByLength()).build();
  }
}
