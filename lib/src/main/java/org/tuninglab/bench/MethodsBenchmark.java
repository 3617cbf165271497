package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.tuninglab.io.ResidentMemory;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.train.AdamW;
import org.tuninglab.train.AdamWConfig;
import org.tuninglab.train.LossScaler;
import org.tuninglab.train.TrainingStep;

/**
 * {@code tuninglab bench methods}: full fine-tuning, LoRA, QLoRA and prompt tuning on the same
 * random-weight model, the same random tokens and the same number of steps, measured in one run:
 * step time (forward, backward and the AdamW update), tokens/s, peak memory, trainable
 * parameters, the bytes the base weights are held in, and the optimizer's state.
 *
 * <p>Each method runs in a JVM of its own ({@link MethodProcess}), one after another. Its memory
 * on a CPU is the child's peak resident set ({@code VmHWM} in {@code /proc/self/status}) minus its
 * resident set after the engine loaded and before the model was built: what building, training
 * and updating that method's model took at its highest. On a GPU, DJL 0.36 exposes no peak of
 * allocated device memory (libtorch's {@code max_memory_allocated}), so the column reads n/a.
 *
 * <p>LoRA's step-time ratio gets two references measured in the same run: the same full and LoRA
 * steps in PyTorch eager ({@link TorchReference}, one Python process per method, on libtorch's
 * threads of this run), and the ratio's floor from the matmul FLOPs ({@link StepFlops}).
 */
public final class MethodsBenchmark {
  /** The methods, in the order they run. */
  public static final List<String> METHODS = MethodSpec.NAMES;

  /** The projections LoRA and QLoRA adapt. */
  public static final List<String> LORA_TARGETS = List.of("q_proj", "v_proj");

  /**
   * @param model the decoder's shape (random weights)
   * @param batch sequences per step
   * @param seqLen tokens per sequence
   * @param steps timed steps (the median is reported)
   * @param warmup untimed steps first
   * @param loraRank LoRA's r, on q_proj and v_proj
   * @param virtualTokens prompt tuning's virtual tokens
   * @param python the interpreter with torch for the PyTorch reference, or null to skip it
   */
  public record Settings(
      ModelConfig model,
      int batch,
      int seqLen,
      int steps,
      int warmup,
      int loraRank,
      int virtualTokens,
      String python) {}

  /**
   * One method's figures.
   *
   * @param method full, lora, qlora or prompt
   * @param trainableParameters values the optimizer updates
   * @param medianStepSeconds forward, backward and AdamW update
   * @param tokensPerSecond input tokens per second at the median step
   * @param medianStepCpuSeconds the process's CPU time (all threads) in a step, the median: less
   *     sensitive than wall time to other jobs on a shared machine
   * @param peakMemoryBytes peak resident set minus the resident set before the model was built
   *     (CPU), or -1 where it cannot be measured (GPU)
   * @param baseWeightBytes bytes the model's weights are held in (fp32, NF4 projections for QLoRA)
   * @param optimizerStateBytes AdamW's two moments
   * @param nf4ProjectionBytes QLoRA's projections as NF4 codes and scales (0 for other methods)
   * @param fp16ProjectionBytes the same projections in fp16 (0 for other methods)
   * @param processId the JVM the method ran in
   */
  public record Row(
      String method,
      long trainableParameters,
      double medianStepSeconds,
      double tokensPerSecond,
      double medianStepCpuSeconds,
      long peakMemoryBytes,
      long baseWeightBytes,
      long optimizerStateBytes,
      long nf4ProjectionBytes,
      long fp16ProjectionBytes,
      long processId) {}

  /**
   * Full fine-tuning and LoRA in PyTorch eager: the same model shape, batch, sequence length,
   * threads, LoRA rank, alpha, targets and AdamW settings, each method in a process of its own.
   *
   * @param description the torch version and threads
   * @param fullTrainableParameters values its full fine-tune updates
   * @param fullMedianStepSeconds zero grads, forward, cross-entropy, backward, AdamW step
   * @param loraTrainableParameters values its LoRA updates
   * @param loraMedianStepSeconds the same step with LoRA
   */
  public record Reference(
      String description,
      long fullTrainableParameters,
      double fullMedianStepSeconds,
      long loraTrainableParameters,
      double loraMedianStepSeconds) {

    /** The reference's LoRA step time over its full fine-tune's. */
    public double loraStepRatio() {
      return loraMedianStepSeconds / fullMedianStepSeconds;
    }
  }

  /**
   * The comparison.
   *
   * @param parameters the model's parameters
   * @param threads libtorch's intra-op threads
   * @param rows one per method, in {@link #METHODS} order
   * @param nf4ProjectionBytes QLoRA's projections as NF4 codes and double-quantised scales
   * @param fp16ProjectionBytes the same projections in fp16
   * @param reference the PyTorch eager reference, null when it did not run
   * @param referenceNote the reference's torch version and threads, or why it did not run
   * @param loraFlopFloor LoRA's matmul FLOPs a step over full fine-tuning's ({@link StepFlops})
   */
  public record Result(
      long parameters,
      int threads,
      List<Row> rows,
      long nf4ProjectionBytes,
      long fp16ProjectionBytes,
      Reference reference,
      String referenceNote,
      double loraFlopFloor) {

    /** The row of a method. */
    public Row row(String method) {
      return rows.stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }

    /** LoRA's step time over full fine-tuning's (target at most 0.6). */
    public double loraStepRatio() {
      return row("lora").medianStepSeconds() / row("full").medianStepSeconds();
    }

    /** The PyTorch reference's LoRA step time over its full fine-tune's; NaN if it did not run. */
    public double referenceLoraStepRatio() {
      return reference == null ? Double.NaN : reference.loraStepRatio();
    }

    /** LoRA's CPU time a step over full fine-tuning's. */
    public double loraCpuRatio() {
      return row("lora").medianStepCpuSeconds() / row("full").medianStepCpuSeconds();
    }

    /** QLoRA's NF4 projection bytes over the same projections in fp16 (target at most 0.3). */
    public double qloraBaseRatio() {
      return (double) nf4ProjectionBytes / fp16ProjectionBytes;
    }

    /** LoRA's optimizer state over full fine-tuning's (target at most 0.02). */
    public double loraOptimizerRatio() {
      return (double) row("lora").optimizerStateBytes() / row("full").optimizerStateBytes();
    }
  }

  private static final double LR = 1e-4;

  private MethodsBenchmark() {}

  /**
   * Runs every method, each in a child JVM, and prints the table and the ratios.
   *
   * @param s the sizes
   * @param log where the table goes
   * @return the figures, for a notebook to render
   * @throws IOException if a child JVM fails
   */
  public static Result run(Settings s, PrintStream log) throws IOException {
    Engine.getInstance(); // loads libtorch before the thread query
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    log.printf(
        "model: %,d parameters (D=%d, layers=%d), random weights; batch %d x %d tokens; %d steps"
            + " after %d warm-up; fp32 on %s, libtorch threads: %d; one JVM per method, in the"
            + " order %s%n",
        s.model().parameterCount(), s.model().hiddenSize(), s.model().numLayers(), s.batch(),
        s.seqLen(), s.steps(), s.warmup(), Engine.getInstance().defaultDevice(), threads, METHODS);
    List<Row> rows = new ArrayList<>();
    for (String method : METHODS) {
      rows.add(MethodProcess.run(method, s));
    }
    Reference reference = null;
    String note;
    Device device = Engine.getInstance().defaultDevice();
    if (device.isGpu()) {
      note = "reference not run: the PyTorch script runs on the CPU, these methods on " + device;
    } else {
      try {
        reference = reference(s, threads);
        note = reference.description();
      } catch (IOException e) {
        note = "reference not run: " + e.getMessage();
      }
    }
    double floor =
        StepFlops.loraFloor(s.model(), s.seqLen(), s.loraRank(), Set.copyOf(LORA_TARGETS));
    Row qlora = rows.get(METHODS.indexOf("qlora"));
    Result r =
        new Result(s.model().parameterCount(), threads, rows, qlora.nf4ProjectionBytes(),
            qlora.fp16ProjectionBytes(), reference, note, floor);
    log.printf("  %-7s %12s %10s %10s %10s %12s %12s %12s%n",
        "method", "trainable", "step ms", "tokens/s", "CPU ms", "peak memory", "base bytes",
        "optimizer");
    for (Row row : rows) {
      log.printf("  %-7s %,12d %10.1f %10.1f %10.1f %12s %11.1fM %11.2fM%n",
          row.method(), row.trainableParameters(), row.medianStepSeconds() * 1e3,
          row.tokensPerSecond(), row.medianStepCpuSeconds() * 1e3,
          row.peakMemoryBytes() < 0 ? "n/a" : String.format("%.1fM", row.peakMemoryBytes() / 1e6),
          row.baseWeightBytes() / 1e6, row.optimizerStateBytes() / 1e6);
    }
    log.println("  peak memory: each method in its own JVM; its peak resident set (VmHWM) minus its"
        + " resident set before the model was built.");
    log.printf("  LoRA step time / full:               %.2f (target <= 0.6)%n", r.loraStepRatio());
    log.printf("  LoRA step CPU time / full:           %.2f%n", r.loraCpuRatio());
    if (reference == null) {
      log.println("  PyTorch eager reference: " + note);
    } else {
      log.printf(
          "  PyTorch eager reference (%s), same model/batch/threads: full %.1f ms, LoRA %.1f ms,"
              + " LoRA/full %.2f (trainable %,d and %,d)%n",
          note, reference.fullMedianStepSeconds() * 1e3, reference.loraMedianStepSeconds() * 1e3,
          reference.loraStepRatio(), reference.fullTrainableParameters(),
          reference.loraTrainableParameters());
    }
    log.printf(
        "  LoRA/full floor from FLOPs (forward + input gradients over forward + input + weight"
            + " gradients of the matmuls): %.3f%n", floor);
    log.printf("  QLoRA NF4 projections / fp16:        %.3f (target <= 0.3)%n", r.qloraBaseRatio());
    log.printf("  LoRA optimizer state / full:         %.2f %% (target <= 2 %%)%n",
        100 * r.loraOptimizerRatio());
    return r;
  }

  /**
   * Builds the model, prepares the method, trains the warm-up and timed steps and measures; run
   * by {@link MethodProcess} in a JVM of its own.
   */
  static Row measure(String method, Settings s) throws IOException {
    Device device = Engine.getInstance().defaultDevice();
    System.gc();
    long residentBefore = ResidentMemory.current();
    RandomWeights weights = RandomWeights.forTraining(0, 0.02);
    try (LlamaModel model = LlamaModel.create(s.model(), weights, device, DataType.FLOAT32)) {
      long denseBytes = bytes(model.namedArrays().values());
      long projectionBytes = 0;
      for (LinearLayer layer : model.linearLayers().values()) {
        projectionBytes += bytes(layer.arrays().stream().map(NamedArray::array).toList());
      }
      MethodSpec spec =
          MethodSpec.parse(
              method,
              LoraConfig.builder().setR(s.loraRank()).setTargetModules(LORA_TARGETS).build(),
              PromptTuningConfig.builder().setNumVirtualTokens(s.virtualTokens())
                  .optInit(PromptInit.SAMPLE_VOCAB).build());
      try (AdaptedModel adapted = spec.apply(model, null)) {
        long baseBytes = denseBytes;
        long nf4Bytes = 0;
        long fp16Bytes = 0;
        if (adapted instanceof QloraModel q) {
          baseBytes = denseBytes - projectionBytes + q.quantizedBytes();
          nf4Bytes = q.quantizedBytes();
          fp16Bytes = projectionBytes / 2; // fp32 -> fp16
        }
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        adapted.trainableArrays().forEach(a -> trainable.put(a.name(), a.array()));
        adapted.setTraining(true);
        List<Double> times = new ArrayList<>();
        List<Double> cpuTimes = new ArrayList<>();
        // The trainer's own step: no clipping, no loss scale, as in the PyTorch reference.
        TrainingStep<RandomTokenBatch> step =
            new TrainingStep<>(adapted, trainable, model.manager(),
                new RandomTokenObjective(s.batch(), s.seqLen()), 0);
        int vocab = model.config().vocabSize();
        try (AdamW adamw = new AdamW(trainable, AdamWConfig.DEFAULT)) {
          Random random = new Random(0); // the same tokens for every method
          for (int i = 0; i < s.warmup() + s.steps(); i++) {
            RandomTokenBatch batch = RandomTokenBatch.next(random, s.batch(), s.seqLen(), vocab);
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            step.run(List.of(List.of(batch)), LR, LossScaler.disabled(), adamw);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (i >= s.warmup()) {
              times.add(seconds);
              cpuTimes.add((processCpuNanos() - cpuStart) / 1e9);
            }
          }
          long peakMemory =
              device.isGpu() ? -1 : ResidentMemory.peak() - residentBefore;
          long optimizerBytes = bytes(adamw.state().values());
          double median = UpperMedian.of(times);
          return new Row(method, count(trainable.values()), median,
              (double) s.batch() * s.seqLen() / median, UpperMedian.of(cpuTimes),
              peakMemory, baseBytes, optimizerBytes,
              nf4Bytes, fp16Bytes, ProcessHandle.current().pid());
        }
      }
    }
  }

  /**
   * Runs the PyTorch reference of full fine-tuning, then of LoRA.
   *
   * @throws IOException if the reference is disabled, the interpreter or torch is missing, or
   *     the model is one the script cannot build
   */
  static Reference reference(Settings s, int threads) throws IOException {
    TorchReference.Measured full = referenceRun("full", s, threads);
    TorchReference.Measured lora = referenceRun("lora", s, threads);
    return new Reference(full.description(), full.trainable(), full.medianSeconds(),
        lora.trainable(), lora.medianSeconds());
  }

  /**
   * Times one method's step in the PyTorch script, in a process of its own: its warm-up, then
   * the same number of timed steps as the Java side; the median.
   */
  private static TorchReference.Measured referenceRun(String method, Settings s, int threads)
      throws IOException {
    ModelConfig c = s.model();
    if (c.headDim() * c.numHeads() != c.hiddenSize() || c.tieWordEmbeddings()) {
      throw new IOException(
          "the script's model has head_dim = hidden_size / heads and an untied output head");
    }
    List<String> options =
        List.of("--method", method, "--lora-r", "" + s.loraRank(), "--optimizer", "adamw", "--lr",
            "" + LR);
    try (TorchReference ref =
        TorchReference.start(s.python(), c, s.batch(), s.seqLen(), s.warmup(), threads, options)) {
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < s.steps(); i++) {
        times.add(ref.step());
      }
      return new TorchReference.Measured(
          ref.description(), ref.trainable(), UpperMedian.of(times));
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long bytes(Iterable<NDArray> arrays) {
    long total = 0;
    for (NDArray a : arrays) {
      total += a.size() * a.getDataType().getNumOfBytes();
    }
    return total;
  }

  private static long count(Iterable<NDArray> arrays) {
    long total = 0;
    for (NDArray a : arrays) {
      total += a.size();
    }
    return total;
  }
}
