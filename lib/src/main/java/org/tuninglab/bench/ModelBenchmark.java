package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.Generator;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.score.TokenCrossEntropy;

/**
 * {@code tuninglab bench model}: training throughput of the DJL decoder against the same step in
 * PyTorch eager (an independent Python script, run in the same session on the same threads), and
 * generation throughput with and without the KV cache.
 */
public final class ModelBenchmark {
  /** A ~12M-parameter Llama with grouped-query attention. */
  public static final ModelConfig BENCH_CONFIG =
      ModelConfig.builder().setVocabSize(4096).setHiddenSize(384).setIntermediateSize(1024)
          .setNumLayers(6).setNumHeads(6).optNumKvHeads(2).optMaxPositions(1024).build();

  /**
   * A ~63M-parameter Llama for the second generation measurement: at 12.6M parameters a cached
   * decoding step is dominated by the fixed cost of its ~300 small operations, which hides what
   * the cache saves on any model of a useful size.
   */
  public static final ModelConfig GENERATION_CONFIG =
      ModelConfig.builder().setVocabSize(8192).setHiddenSize(768).setIntermediateSize(2048)
          .setNumLayers(8).setNumHeads(12).optNumKvHeads(4).optMaxPositions(1024).build();

  /**
   * @param batch sequences per training step
   * @param seqLen tokens per sequence
   * @param steps timed steps (the median is reported)
   * @param warmup untimed steps first
   * @param newTokens tokens to generate in the cache comparison
   * @param python the interpreter with torch for the reference, or null to skip it
   * @param largeGeneration also measure generation on {@link #GENERATION_CONFIG} (about a minute)
   */
  public record Settings(
      int batch, int seqLen, int steps, int warmup, int newTokens, String python, boolean largeGeneration) {}

  /**
   * @param javaTokensPerSecond training forward+backward tokens/s in Java
   * @param torchTokensPerSecond the same in PyTorch eager, NaN when the reference did not run
   * @param torchNote the reference's version or why it did not run
   * @param cachedTokensPerSecond generation with the KV cache (training model)
   * @param uncachedTokensPerSecond generation recomputing the whole prefix each step (training model)
   * @param largeCachedTokensPerSecond the same with {@link #GENERATION_CONFIG}, NaN when skipped
   * @param largeUncachedTokensPerSecond the same without the cache, NaN when skipped
   */
  public record Result(
      long parameters,
      int threads,
      double javaTokensPerSecond,
      double torchTokensPerSecond,
      String torchNote,
      double cachedTokensPerSecond,
      double uncachedTokensPerSecond,
      double largeCachedTokensPerSecond,
      double largeUncachedTokensPerSecond) {

    public double trainingRatio() {
      return javaTokensPerSecond / torchTokensPerSecond;
    }

    public double cacheSpeedup() {
      return cachedTokensPerSecond / uncachedTokensPerSecond;
    }

    public double largeCacheSpeedup() {
      return largeCachedTokensPerSecond / largeUncachedTokensPerSecond;
    }
  }

  private ModelBenchmark() {}

  public static Result run(Settings s, PrintStream log) throws IOException, InterruptedException {
    ModelConfig config = BENCH_CONFIG;
    Engine engine = Engine.getInstance(); // loads libtorch before the thread query below
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    log.printf(
        "model: %,d parameters (D=%d, layers=%d, heads=%d/%d kv, vocab=%d); batch %d x %d tokens;"
            + " fp32 on %s, %d threads%n",
        config.parameterCount(), config.hiddenSize(), config.numLayers(), config.numHeads(),
        config.numKvHeads(), config.vocabSize(), s.batch(), s.seqLen(), engine.defaultDevice(),
        threads);
    TorchReference reference = null;
    String note;
    try {
      reference = TorchReference.start(s, config, threads);
      note = reference.description();
    } catch (IOException e) {
      note = "reference not run: " + e.getMessage();
    }
    List<Double> javaTimes = new ArrayList<>();
    List<Double> torchTimes = new ArrayList<>();
    double cached;
    double uncached;
    try (LlamaModel model =
        LlamaModel.create(config, RandomWeights.forTraining(0, 0.02), Device.cpu(), DataType.FLOAT32)) {
      model.namedArrays().values().forEach(a -> a.setRequiresGradient(true));
      Random random = new Random(0);
      for (int i = 0; i < s.warmup(); i++) {
        trainingStep(model, s.batch(), s.seqLen(), random);
      }
      // Alternate the two sides step by step so both see the same load on a shared machine.
      for (int i = 0; i < s.steps(); i++) {
        javaTimes.add(trainingStep(model, s.batch(), s.seqLen(), random));
        if (reference != null) {
          torchTimes.add(reference.step());
        }
      }
      model.namedArrays().values().forEach(a -> a.setRequiresGradient(false));
      cached = generationTokensPerSecond(model, s.newTokens(), true);
      uncached = generationTokensPerSecond(model, s.newTokens(), false);
    } finally {
      if (reference != null) {
        reference.close();
      }
    }
    double tokens = (double) s.batch() * s.seqLen();
    double javaRate = tokens / UpperMedian.of(javaTimes);
    double torchRate = torchTimes.isEmpty() ? Double.NaN : tokens / UpperMedian.of(torchTimes);
    log.printf("  Java/DJL training step:      %8.1f tokens/s (median of %d)%n", javaRate, javaTimes.size());
    if (torchTimes.isEmpty()) {
      log.println("  PyTorch eager: " + note);
    } else {
      log.printf("  PyTorch eager training step: %8.1f tokens/s (%s)%n", torchRate, note);
      log.printf("  training ratio Java / PyTorch: %.2fx (target >= 1.0x)%n", javaRate / torchRate);
    }
    double largeCached = Double.NaN;
    double largeUncached = Double.NaN;
    if (s.largeGeneration()) {
      try (LlamaModel large =
          LlamaModel.create(GENERATION_CONFIG, RandomWeights.forTraining(0, 0.02), Device.cpu(), DataType.FLOAT32)) {
        largeCached = generationTokensPerSecond(large, s.newTokens(), true);
        largeUncached = generationTokensPerSecond(large, s.newTokens(), false);
      }
    }
    Result r =
        new Result(config.parameterCount(), threads, javaRate, torchRate, note, cached, uncached,
            largeCached, largeUncached);
    log.printf(
        "  generation of %d tokens, %,d-parameter model: %.1f tokens/s with KV cache, %.1f without;"
            + " speed-up %.1fx (target >= 5x)%n",
        s.newTokens(), config.parameterCount(), cached, uncached, r.cacheSpeedup());
    if (s.largeGeneration()) {
      log.printf(
          "  generation of %d tokens, %,d-parameter model: %.1f tokens/s with KV cache, %.1f without;"
              + " speed-up %.1fx (target >= 5x)%n",
          s.newTokens(), GENERATION_CONFIG.parameterCount(), largeCached, largeUncached,
          r.largeCacheSpeedup());
    }
    return r;
  }

  /** One forward+backward step on fresh random tokens; returns its seconds. */
  static double trainingStep(LlamaModel model, int batchSize, int seqLen, Random random) {
    RandomTokenBatch batch = RandomTokenBatch.next(random, batchSize, seqLen, model.config().vocabSize());
    long start = System.nanoTime();
    try (NDManager step = model.manager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      Shape shape = new Shape(batchSize, seqLen);
      NDArray logits = model.forward(step.create(batch.inputs(), shape));
      NDArray loss = TokenCrossEntropy.mean(logits, step.create(batch.labels(), shape));
      collector.backward(loss);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static double generationTokensPerSecond(LlamaModel model, int newTokens, boolean cache) {
    int[] prompt = {1, 2, 3, 4, 5, 6, 7, 8};
    GenerationConfig config =
        GenerationConfig.builder().optMaxNewTokens(newTokens).optUseCache(cache).build();
    Generator generator = Generator.tokensOnly(model);
    // Warm up the JIT and libtorch's allocator on the same path before timing.
    generator.generate(prompt, config.toBuilder().optMaxNewTokens(Math.max(8, newTokens / 4)).build());
    long start = System.nanoTime();
    int produced = generator.generate(prompt, config).tokens().length;
    return produced / ((System.nanoTime() - start) / 1e9);
  }
}
