package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.parallel.ComputeDtype;
import org.tuninglab.parallel.DataParallel;
import org.tuninglab.parallel.DeviceReport;
import org.tuninglab.parallel.GpuSpec;
import org.tuninglab.parallel.Link;
import org.tuninglab.parallel.OptimizerKind;
import org.tuninglab.parallel.ParallelStep;
import org.tuninglab.parallel.ParallelStrategy;
import org.tuninglab.parallel.ParallelTraining;
import org.tuninglab.parallel.PipelineParallel;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.parallel.TensorParallel;
import org.tuninglab.parallel.TokenRows;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.ParameterReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The three parallelisms measured on a list of devices (N CPUs here, the engine's GPUs on a GPU
 * machine) against single-device training, and projected by {@link ParallelCostModel} onto GPUs.
 */
public final class ParallelBenchmark {
  /**
   * A ~0.85M-parameter decoder: big enough that matmuls dominate a step, small for 2 cores; its 4
   * layers, 4 key/value heads and 384 MLP columns split over 1, 2 or 4 devices.
   */
  public static final ModelConfig MEASURED =
      ModelConfig.builder()
          .setVocabSize(256)
          .setHiddenSize(128)
          .setIntermediateSize(384)
          .setNumLayers(4)
          .setNumHeads(8)
          .optNumKvHeads(4)
          .build();

  /**
   * What one measurement covers.
   *
   * @param devices the devices (repeats allowed: N CPUs)
   * @param lora LoRA (r=8 on every projection) rather than a full fine-tune
   * @param batch sequences per step
   * @param seq tokens per sequence
   * @param microBatches the pipeline's micro-batches
   * @param steps timed steps after one warm-up
   */
  public record Settings(
      List<Device> devices, boolean lora, int batch, int seq, int microBatches, int steps) {}

  /**
   * A strategy's measurement.
   *
   * @param strategy the strategy
   * @param loss the first step's loss
   * @param gradientError the largest gradient difference from one device over the largest
   *     gradient, over all tensors
   * @param stepSeconds the median timed step
   * @param step the first step's report (per device memory and traffic, bubble)
   */
  public record Measured(
      ParallelStrategy strategy, double loss, double gradientError, double stepSeconds,
      ParallelStep step) {}

  /**
   * The measurements.
   *
   * @param single the single-device step's report
   * @param singleSeconds its median step
   * @param secondsPerFlop its step time over its counted matmul FLOPs
   * @param rows one per strategy
   */
  public record Result(
      Settings settings, ParallelStep single, double singleSeconds, double secondsPerFlop,
      List<Measured> rows) {

    /** One row per strategy: equivalence, step time, the largest device's bytes, traffic. */
    public Table table() {
      int n = settings.devices().size();
      Table t =
          Table.create(
              "measured on " + n + " x " + settings.devices().get(0) + " ("
                  + (settings.lora() ? "LoRA" : "full") + ", batch " + settings.batch() + " x "
                  + settings.seq() + ")",
              StringColumn.create("strategy"), DoubleColumn.create("loss"),
              DoubleColumn.create("max grad error"), DoubleColumn.create("step ms"),
              DoubleColumn.create("1-device ms"), StringColumn.create("params/device"),
              StringColumn.create("grads/device"), StringColumn.create("optimizer/device"),
              StringColumn.create("activations/device"), StringColumn.create("moved/step"),
              DoubleColumn.create("bubble"));
      for (Measured m : rows) {
        t.stringColumn(0).append(m.strategy().label());
        t.doubleColumn(1).append(sig(m.loss()));
        t.doubleColumn(2).append(sig(m.gradientError()));
        t.doubleColumn(3).append(sig(m.stepSeconds() * 1e3));
        t.doubleColumn(4).append(sig(singleSeconds * 1e3));
        List<DeviceReport> d = m.step().devices();
        t.stringColumn(5).append(largest(d, DeviceReport::parameterBytes));
        t.stringColumn(6).append(largest(d, DeviceReport::gradientBytes));
        t.stringColumn(7).append(largest(d, DeviceReport::optimizerBytes));
        t.stringColumn(8).append(largest(d, DeviceReport::activationBytes));
        t.stringColumn(9).append(ParameterReport.bytes(m.step().bytesMoved()));
        t.doubleColumn(10).append(sig(m.step().bubble()));
      }
      return t;
    }

    /** Every device of every strategy: bytes held and moved. */
    public Table devices() {
      Table t =
          Table.create("per device", StringColumn.create("strategy"), IntColumn.create("device"),
              StringColumn.create("params"), StringColumn.create("grads"),
              StringColumn.create("optimizer"), StringColumn.create("activations"),
              StringColumn.create("sent"), StringColumn.create("received"));
      for (Measured m : rows) {
        for (DeviceReport d : m.step().devices()) {
          t.stringColumn(0).append(m.strategy().label());
          t.intColumn(1).append(d.device());
          t.stringColumn(2).append(ParameterReport.bytes(d.parameterBytes()));
          t.stringColumn(3).append(ParameterReport.bytes(d.gradientBytes()));
          t.stringColumn(4).append(ParameterReport.bytes(d.optimizerBytes()));
          t.stringColumn(5).append(ParameterReport.bytes(d.activationBytes()));
          t.stringColumn(6).append(ParameterReport.bytes(d.sentBytes()));
          t.stringColumn(7).append(ParameterReport.bytes(d.receivedBytes()));
        }
      }
      return t;
    }

    private static String largest(List<DeviceReport> d, java.util.function.ToLongFunction<DeviceReport> f) {
      return ParameterReport.bytes(d.stream().mapToLong(f).max().orElse(0));
    }
  }

  private ParallelBenchmark() {}

  /** Devices to measure on: the engine's GPUs when it has any, else {@code cpus} times the CPU. */
  public static List<Device> devices(int cpus) {
    Device[] gpus = Engine.getInstance().getDevices();
    List<Device> found = Arrays.stream(gpus).filter(Device::isGpu).toList();
    return found.isEmpty() ? Collections.nCopies(cpus, Device.cpu()) : found;
  }

  /**
   * Measures single-device training and the three strategies on {@link #MEASURED}.
   *
   * @param progress told the name of each run as it starts (a notebook's live progress)
   */
  public static Result measure(Settings s, Consumer<String> progress) throws IOException {
    Random random = new Random(11);
    List<TokenRows> batches = new ArrayList<>();
    for (int i = 0; i <= s.steps(); i++) {
      RandomTokenBatch b = RandomTokenBatch.next(random, s.batch(), s.seq(), MEASURED.vocabSize());
      batches.add(new TokenRows(b.inputs(), b.labels(), s.batch(), s.seq()));
    }
    Device first = s.devices().get(0);
    List<Measured> rows = new ArrayList<>();
    ParallelStep single;
    double singleSeconds;
    try (LlamaModel model =
            LlamaModel.create(MEASURED, RandomWeights.forTraining(7, 0.05), first, DataType.FLOAT32);
        AdaptedModel reference = adapt(model, s.lora())) {
      progress.accept("1 device");
      double[] t = new double[1];
      try (ParallelTraining one = new DataParallel(reference, List.of(first))) {
        single = timed(one, batches, t);
        singleSeconds = t[0];
      }
      for (ParallelStrategy strategy : ParallelStrategy.values()) {
        progress.accept(strategy.label() + " parallel on " + s.devices().size() + " devices");
        try (ParallelTraining parallel = open(strategy, reference, s)) {
          ParallelStep step = timed(parallel, batches, t);
          rows.add(new Measured(strategy, step.loss(), error(single, step), t[0], step));
        }
      }
    }
    double flops =
        ParallelCostModel.flopsPerSequence(MEASURED, plan(s.lora(), ComputeDtype.FP32, s.batch(), s.seq()))
            * s.batch();
    return new Result(s, single, singleSeconds, singleSeconds / flops, rows);
  }

  private static ParallelTraining open(ParallelStrategy strategy, AdaptedModel ref, Settings s) {
    return switch (strategy) {
      case DATA -> new DataParallel(ref, s.devices());
      case PIPELINE -> new PipelineParallel(ref, s.devices(), s.microBatches());
      case TENSOR -> new TensorParallel(ref, s.devices());
    };
  }

  /**
   * The first batch's step at learning rate 0 (so every strategy sees the same weights: its
   * report is returned), then a warm-up and {@code steps} timed steps; the median in {@code out}.
   */
  private static ParallelStep timed(ParallelTraining training, List<TokenRows> batches, double[] out) {
    ParallelStep first = training.step(batches.get(0), 0);
    List<Double> seconds = new ArrayList<>();
    for (int i = 1; i < batches.size(); i++) {
      seconds.add(training.step(batches.get(i), 0).seconds());
    }
    out[0] = UpperMedian.of(seconds);
    return first;
  }

  private static double error(ParallelStep reference, ParallelStep step) {
    double diff = 0;
    double scale = 0;
    for (Map.Entry<String, float[]> e : reference.gradients().entrySet()) {
      float[] want = e.getValue();
      float[] got = step.gradients().get(e.getKey());
      for (int i = 0; i < want.length; i++) {
        diff = Math.max(diff, Math.abs(want[i] - got[i]));
        scale = Math.max(scale, Math.abs(want[i]));
      }
    }
    return diff / scale;
  }

  private static AdaptedModel adapt(LlamaModel model, boolean lora) {
    return lora ? LoraModel.apply(model, lora()) : FullFineTune.apply(model);
  }

  private static LoraConfig lora() {
    return LoraConfig.builder().setR(8).setTargetModules(LoraConfig.ALL_LINEAR).build();
  }

  /** Plan settings for a method, dtype, global batch and sequence length, with AdamW. */
  public static PlanSettings plan(boolean lora, ComputeDtype dtype, int batch, int seq) {
    MethodSpec method = lora ? MethodSpec.lora(lora()) : MethodSpec.full();
    return new PlanSettings(method, dtype, OptimizerKind.ADAMW, batch, seq, false);
  }

  /** A projection and the method it is for. */
  public record Projected(String method, StepProjection projection) {}

  /**
   * The cost model on GPUs: for full fine-tuning and LoRA in bf16 mixed precision with AdamW,
   * each strategy on each cluster.
   *
   * @param clusters e.g. {@code {2, a100-40gb}, {4, h100-80gb}}
   * @param utilisation the share of peak FLOP/s the matmuls reach
   */
  public static List<Projected> project(
      ModelConfig config, int batch, int seq, int microBatches,
      List<Map.Entry<Integer, GpuSpec>> clusters, Link link, double utilisation) {
    List<Projected> rows = new ArrayList<>();
    for (boolean lora : new boolean[] {false, true}) {
      PlanSettings s = plan(lora, ComputeDtype.BF16, batch, seq);
      for (Map.Entry<Integer, GpuSpec> cluster : clusters) {
        for (ParallelStrategy strategy : ParallelStrategy.values()) {
          rows.add(new Projected(lora ? "LoRA" : "full",
              ParallelCostModel.onGpus(config, s, strategy, cluster.getKey(), cluster.getValue(),
                  link, microBatches, utilisation)));
        }
      }
    }
    return rows;
  }

  /** Projections as a table. */
  public static Table table(String title, List<Projected> rows) {
    Table t =
        Table.create(title,
            StringColumn.create("method"), StringColumn.create("GPUs"),
            StringColumn.create("link"), StringColumn.create("strategy"),
            DoubleColumn.create("step ms"), DoubleColumn.create("compute ms"),
            DoubleColumn.create("comm ms"), StringColumn.create("sent/GPU"),
            DoubleColumn.create("bubble"), StringColumn.create("memory/GPU"),
            StringColumn.create("fits"));
    for (Projected row : rows) {
      StepProjection p = row.projection();
      t.stringColumn(0).append(row.method());
      t.stringColumn(1).append(p.devices() + " x " + p.device());
      t.stringColumn(2).append(p.link());
      t.stringColumn(3).append(p.strategy().label());
      t.doubleColumn(4).append(sig(p.stepSeconds() * 1e3));
      t.doubleColumn(5).append(sig(p.computeSeconds() * 1e3));
      t.doubleColumn(6).append(sig(p.commSeconds() * 1e3));
      t.stringColumn(7).append(ParameterReport.bytes(p.bytesPerDevice()));
      t.doubleColumn(8).append(sig(p.bubble()));
      t.stringColumn(9).append(ParameterReport.bytes(p.memoryPerDevice()));
      t.stringColumn(10).append(p.fits() ? "yes" : "no");
    }
    return t;
  }

  /**
   * The slides' comparison: what each strategy splits, what it is best for, its pros and cons,
   * and beside the words this run's numbers: measured on the N devices, projected on GPUs (the
   * full fine-tune rows of {@code projected}).
   */
  public static Table comparison(Result measured, List<Projected> projected) {
    Table t =
        Table.create("data / model (pipeline) / tensor parallel, every number from this run",
            StringColumn.create("strategy"), StringColumn.create("splits"),
            StringColumn.create("best for"), StringColumn.create("pros"),
            StringColumn.create("cons"), StringColumn.create("largest device (measured)"),
            StringColumn.create("moved/step (measured)"), DoubleColumn.create("bubble (measured)"),
            StringColumn.create("projected full fine-tune: step ms, memory/GPU"));
    for (Measured m : measured.rows()) {
      ParallelStrategy s = m.strategy();
      t.stringColumn(0).append(s == ParallelStrategy.PIPELINE ? "model (pipeline)" : s.label());
      t.stringColumn(1).append(s.splits());
      t.stringColumn(2).append(s.bestFor());
      t.stringColumn(3).append(s.pros());
      t.stringColumn(4).append(s.cons());
      long largest = m.step().devices().stream().mapToLong(DeviceReport::totalBytes).max().orElse(0);
      long single = measured.single().devices().get(0).totalBytes();
      t.stringColumn(5).append(ParameterReport.bytes(largest) + " (1 device: "
          + ParameterReport.bytes(single) + ")");
      t.stringColumn(6).append(ParameterReport.bytes(m.step().bytesMoved()));
      t.doubleColumn(7).append(sig(m.step().bubble()));
      StringBuilder cell = new StringBuilder();
      for (Projected p : projected) {
        StepProjection q = p.projection();
        if (p.method().equals("full") && q.strategy() == s) {
          cell.append(cell.length() == 0 ? "" : "; ").append(q.devices()).append(" x ")
              .append(q.device()).append(' ').append(q.link()).append(": ")
              .append(sig(q.stepSeconds() * 1e3)).append(" ms, ")
              .append(ParameterReport.bytes(q.memoryPerDevice()));
        }
      }
      t.stringColumn(8).append(cell.toString());
    }
    return t;
  }

  /** The share of the GPUs' peak FLOP/s the projections assume the matmuls reach. */
  public static final double UTILISATION = 0.4;

  /** The projections' title: what every row shares. */
  public static String projectedTitle(String modelName) {
    return "projected: " + modelName + ", bf16 mixed, AdamW, batch 8 x 512, pipeline 8"
        + " micro-batches, " + Math.round(UTILISATION * 100) + "% of peak FLOP/s";
  }

  /** Three significant digits: table cells, not measurement noise. */
  static double sig(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v;
    }
    return new BigDecimal(v).round(new MathContext(3)).doubleValue();
  }

  /**
   * {@code tuninglab bench efficiency}: measured on the engine's GPUs when there are any, else on
   * {@code cpus} CPU devices; on the CPU, also projected onto 2 x A100-40GB and 4 x H100-80GB for
   * {@code projectModel}.
   */
  public static void run(PrintStream out, int cpus, ModelConfig projectModel, String modelName)
      throws IOException {
    List<Device> devices = devices(cpus);
    Settings s = new Settings(devices, false, 8, 64, 4, 3);
    Result r = measure(s, name -> out.println("measuring " + name + " ..."));
    out.println(r.table().printAll());
    out.println(r.devices().printAll());
    out.printf(
        "single device: %.4g ms a step, %.3g s per counted matmul FLOP (%.3g GFLOP/s)%n",
        r.singleSeconds() * 1e3, r.secondsPerFlop(), 1e-9 / r.secondsPerFlop());
    if (devices.get(0).isGpu()) {
      return; // measured on the GPUs themselves: nothing to project
    }
    List<Map.Entry<Integer, GpuSpec>> clusters =
        List.of(Map.entry(2, GpuSpec.parse("a100-40gb")), Map.entry(4, GpuSpec.parse("h100-80gb")));
    List<Projected> projected = new ArrayList<>();
    for (Link link : Link.values()) {
      projected.addAll(project(projectModel, 8, 512, 8, clusters, link, UTILISATION));
    }
    out.println(table(projectedTitle(modelName), projected).printAll());
    out.println(comparison(r, projected).printAll());
  }
}
