package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.train.AdamW;
import org.tuninglab.train.AdamWConfig;
import org.tuninglab.train.TokenCrossEntropy;

/**
 * {@code tuninglab bench methods}: full fine-tuning, LoRA, QLoRA and prompt tuning on the same
 * random-weight model, the same random tokens and the same number of steps, measured in one run:
 * step time (forward, backward and the AdamW update), tokens/s, resident memory, trainable
 * parameters, the bytes the base weights are held in, and the optimizer's state.
 *
 * <p>The methods run one after another in a fixed order (full, LoRA, QLoRA, prompt), each on a
 * fresh model that is freed before the next. Memory is the growth of the process's resident set
 * ({@code /proc/self/statm}) from before the method's model is built to the largest value seen
 * after a step: a process-wide peak would only ever report the largest method. Memory the
 * allocator keeps from an earlier method can make a later method's growth look smaller.
 */
public final class MethodsBenchmark {
  /** The methods, in the order they run. */
  public static final List<String> METHODS = List.of("full", "lora", "qlora", "prompt");

  /**
   * @param model the decoder's shape (random weights)
   * @param batch sequences per step
   * @param seqLen tokens per sequence
   * @param steps timed steps (the median is reported)
   * @param warmup untimed steps first
   * @param loraRank LoRA's r, on q_proj and v_proj
   * @param virtualTokens prompt tuning's virtual tokens
   */
  public record Settings(
      ModelConfig model, int batch, int seqLen, int steps, int warmup, int loraRank, int virtualTokens) {}

  /**
   * One method's figures.
   *
   * @param method full, lora, qlora or prompt
   * @param trainableParameters values the optimizer updates
   * @param medianStepSeconds forward, backward and AdamW update
   * @param tokensPerSecond input tokens per second at the median step
   * @param residentGrowthBytes growth of the resident set over the method's run
   * @param baseWeightBytes bytes the model's weights are held in (fp32, NF4 projections for QLoRA)
   * @param optimizerStateBytes AdamW's two moments
   */
  public record Row(
      String method,
      long trainableParameters,
      double medianStepSeconds,
      double tokensPerSecond,
      long residentGrowthBytes,
      long baseWeightBytes,
      long optimizerStateBytes) {}

  /**
   * The comparison.
   *
   * @param parameters the model's parameters
   * @param threads libtorch's intra-op threads
   * @param rows one per method, in {@link #METHODS} order
   * @param nf4ProjectionBytes QLoRA's projections as NF4 codes and double-quantised scales
   * @param fp16ProjectionBytes the same projections in fp16
   */
  public record Result(
      long parameters, int threads, List<Row> rows, long nf4ProjectionBytes, long fp16ProjectionBytes) {

    /** The row of a method. */
    public Row row(String method) {
      return rows.stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }

    /** LoRA's step time over full fine-tuning's (target at most 0.6). */
    public double loraStepRatio() {
      return row("lora").medianStepSeconds() / row("full").medianStepSeconds();
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

  private static final long PAGE_BYTES = 4096; // statm counts pages; 4 KiB on x86-64 Linux
  private static final double LR = 1e-4;

  private MethodsBenchmark() {}

  /**
   * Runs every method and prints the table and the ratios.
   *
   * @param s the sizes
   * @param log where the table goes
   * @return the figures, for a notebook to render
   * @throws IOException if {@code /proc/self/statm} cannot be read
   */
  public static Result run(Settings s, PrintStream log) throws IOException {
    Engine.getInstance(); // loads libtorch before the thread query
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    log.printf(
        "model: %,d parameters (D=%d, layers=%d), random weights; batch %d x %d tokens; %d steps"
            + " after %d warm-up; fp32 on CPU, %d threads; methods run in the order %s%n",
        s.model().parameterCount(), s.model().hiddenSize(), s.model().numLayers(), s.batch(),
        s.seqLen(), s.steps(), s.warmup(), threads, METHODS);
    List<Row> rows = new ArrayList<>();
    long[] projections = new long[2]; // NF4 bytes, fp16 bytes
    for (String method : METHODS) {
      rows.add(measure(method, s, projections));
    }
    Result r = new Result(s.model().parameterCount(), threads, rows, projections[0], projections[1]);
    log.printf("  %-7s %12s %10s %10s %12s %12s %12s%n",
        "method", "trainable", "step ms", "tokens/s", "RSS growth", "base bytes", "optimizer");
    for (Row row : rows) {
      log.printf("  %-7s %,12d %10.1f %10.1f %11.1fM %11.1fM %11.2fM%n",
          row.method(), row.trainableParameters(), row.medianStepSeconds() * 1e3,
          row.tokensPerSecond(), row.residentGrowthBytes() / 1e6, row.baseWeightBytes() / 1e6,
          row.optimizerStateBytes() / 1e6);
    }
    log.println("  RSS growth is measured in this one process, in the order above: memory the allocator"
        + " kept from an earlier method is reused, so a later method's growth reads low.");
    log.printf("  LoRA step time / full:               %.2f (target <= 0.6)%n", r.loraStepRatio());
    log.printf("  QLoRA NF4 projections / fp16:        %.3f (target <= 0.3)%n", r.qloraBaseRatio());
    log.printf("  LoRA optimizer state / full:         %.2f %% (target <= 2 %%)%n",
        100 * r.loraOptimizerRatio());
    return r;
  }

  private static Row measure(String method, Settings s, long[] projections) throws IOException {
    System.gc();
    long residentBefore = residentBytes();
    long peak = residentBefore;
    try (LlamaModel model =
        LlamaModel.create(s.model(), RandomWeights.forTraining(0, 0.02), Device.cpu(), DataType.FLOAT32)) {
      long denseBytes = bytes(model.namedArrays().values());
      long projectionBytes = 0;
      for (LinearLayer layer : model.linearLayers().values()) {
        projectionBytes += bytes(layer.arrays().stream().map(NamedArray::array).toList());
      }
      LoraConfig lora =
          LoraConfig.builder().setR(s.loraRank()).optAlpha(2 * s.loraRank())
              .setTargetModules("q_proj", "v_proj").build();
      try (AdaptedModel adapted =
          switch (method) {
            case "full" -> FullFineTune.apply(model);
            case "lora" -> LoraModel.apply(model, lora);
            case "qlora" -> QloraModel.apply(model, lora);
            case "prompt" -> PromptTuningModel.create(
                model,
                PromptTuningConfig.builder().setNumVirtualTokens(s.virtualTokens())
                    .optInit(PromptInit.SAMPLE_VOCAB).build(),
                null);
            default -> throw new IllegalArgumentException("unknown method " + method);
          }) {
        long baseBytes = denseBytes;
        if (adapted instanceof QloraModel q) {
          baseBytes = denseBytes - projectionBytes + q.quantizedBytes();
          projections[0] = q.quantizedBytes();
          projections[1] = projectionBytes / 2; // fp32 -> fp16
        }
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        adapted.trainableArrays().forEach(a -> trainable.put(a.name(), a.array()));
        adapted.setTraining(true);
        List<Double> times = new ArrayList<>();
        try (AdamW adamw = new AdamW(trainable, AdamWConfig.DEFAULT)) {
          Random random = new Random(0); // the same tokens for every method
          for (int i = 0; i < s.warmup() + s.steps(); i++) {
            double seconds = step(adapted, trainable, adamw, s, random);
            if (i >= s.warmup()) {
              times.add(seconds);
            }
            peak = Math.max(peak, residentBytes());
          }
          long optimizerBytes = bytes(adamw.state().values());
          times.sort(Double::compare);
          double median = times.get(times.size() / 2);
          return new Row(method, count(trainable.values()), median,
              (double) s.batch() * s.seqLen() / median, peak - residentBefore, baseBytes,
              optimizerBytes);
        }
      }
    }
  }

  /** One training step on fresh random tokens; returns its seconds. */
  private static double step(
      AdaptedModel adapted, Map<String, NDArray> trainable, AdamW adamw, Settings s, Random random) {
    int vocab = adapted.base().config().vocabSize();
    RandomTokenBatch batch = RandomTokenBatch.next(random, s.batch(), s.seqLen(), vocab);
    long start = System.nanoTime();
    try (NDManager scope = adapted.base().manager().newSubManager()) {
      for (NDArray param : trainable.values()) {
        try (NDArray grad = param.getGradient()) {
          grad.set(new NDIndex("..."), 0f); // the collector adds to gradients, never clears them
        }
      }
      Shape shape = new Shape(s.batch(), s.seqLen());
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = adapted.logits(scope.create(batch.inputs(), shape), null); // (B, T, V)
        collector.backward(TokenCrossEntropy.mean(logits, scope.create(batch.labels(), shape)));
      }
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (var e : trainable.entrySet()) {
        NDArray grad = e.getValue().getGradient();
        grad.attach(scope);
        grads.put(e.getKey(), grad);
      }
      adamw.step(LR, grads);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static long residentBytes() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
    return Long.parseLong(fields[1]) * PAGE_BYTES;
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
