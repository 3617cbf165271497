package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tuninglab.io.ResidentMemory;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.train.AdamW;
import org.tuninglab.train.AdamWConfig;
import org.tuninglab.train.LossScaler;
import org.tuninglab.train.MixedPrecision;
import org.tuninglab.train.Precision;

/**
 * The Java side of {@code scripts/gpu-check.sh}: one LoRA or QLoRA training step configuration on a
 * random-weight decoder, measured as the trainer runs it in that precision (fp16: loss scaled,
 * gradients unscaled into float32, float32 AdamW masters), then generation speed on the same
 * model. Prints one JSON line. Peak memory is the device's used memory at its highest over the
 * steps ({@code cudaMemGetInfo}: libtorch's cache and the CUDA context included; DJL exposes no
 * {@code max_memory_allocated}), or the process's peak resident set on a CPU.
 */
public final class GpuStepCheck {

  private GpuStepCheck() {}

  /**
   * Arguments as {@code --name value}: vocab, dim, ffn, layers, heads, kv-heads, batch, seq, steps,
   * warmup, r, new-tokens (0 skips generation), method ({@code lora}/{@code qlora}), precision
   * ({@code fp32}/{@code fp16}/{@code bf16}).
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    // The libtorch TUNINGLAB_TORCH names, checked: a CUDA request never measures the CPU instead.
    org.tuninglab.torch.TorchRuntime.loadFromEnvironment().ifPresent(rt -> System.err.println("gpu-check: " + rt.summary()));
    String method = a.getOrDefault("method", "lora");
    Precision precision = Precision.valueOf(a.getOrDefault("precision", "fp32").toUpperCase(Locale.ROOT));
    Device device = Engine.getInstance().defaultDevice();
    String head = String.format(Locale.ROOT, "{\"side\": \"java\", \"method\": \"%s\", \"precision\": \"%s\", \"device\": \"%s\"",
        method, precision.name().toLowerCase(Locale.ROOT), device);
    MixedPrecision policy;
    try {
      policy = MixedPrecision.forDevice(precision, device);
    } catch (IllegalArgumentException e) {
      System.out.println(head + ", \"skipped\": \"" + e.getMessage().replace("\"", "'") + "\"}");
      return;
    }
    ModelConfig config = ModelConfig.builder()
        .setVocabSize(num(a, "vocab")).setHiddenSize(num(a, "dim")).setIntermediateSize(num(a, "ffn"))
        .setNumLayers(num(a, "layers")).setNumHeads(num(a, "heads")).optNumKvHeads(num(a, "kv-heads"))
        .optMaxPositions(Math.max(num(a, "seq"), 64)).build();
    int batch = num(a, "batch");
    int seq = num(a, "seq");
    int r = Integer.parseInt(a.getOrDefault("r", "8"));
    long residentBefore = ResidentMemory.current();
    try (LlamaModel model = LlamaModel.create(config, RandomWeights.forTraining(0, 0.02), device, policy.compute())) {
      LoraConfig lora = LoraConfig.builder().setR(r).optAlpha(2 * r).setTargetModules(MethodsBenchmark.LORA_TARGETS).build();
      try (AdaptedModel adapted = "qlora".equals(method) ? QloraModel.apply(model, lora) : LoraModel.apply(model, lora)) {
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        adapted.trainableArrays().forEach(t -> trainable.put(t.name(), t.array()));
        adapted.setTraining(true);
        LossScaler scaler = policy.lossScaling() ? LossScaler.dynamic() : LossScaler.disabled();
        List<Double> times = new ArrayList<>();
        long peakDevice = -1;
        double lastLoss = Double.NaN;
        int skipped = 0;
        try (AdamW adamw = new AdamW(trainable, AdamWConfig.DEFAULT)) {
          Random random = new Random(0);
          int warmup = num(a, "warmup");
          for (int i = 0; i < warmup + num(a, "steps"); i++) {
            long start = System.nanoTime();
            double[] loss = new double[1];
            boolean applied = step(adapted, trainable, adamw, scaler, batch, seq, random, loss);
            if (i >= warmup) {
              times.add((System.nanoTime() - start) / 1e9);
              skipped += applied ? 0 : 1;
            }
            lastLoss = loss[0];
            if (device.isGpu()) {
              peakDevice = Math.max(peakDevice, CudaUtils.getGpuMemory(device).getCommitted());
            }
          }
        }
        double median = UpperMedian.of(times);
        long peak = device.isGpu() ? peakDevice : ResidentMemory.peak() - residentBefore;
        int newTokens = Integer.parseInt(a.getOrDefault("new-tokens", "0"));
        adapted.setTraining(false);
        double genRate = newTokens > 0 ? ModelBenchmark.generationTokensPerSecond(model, newTokens, true) : Double.NaN;
        System.out.println(head + String.format(Locale.ROOT,
            ", \"parameters\": %d, \"trainable\": %d, \"batch\": %d, \"seq\": %d, \"median_step_s\": %.6f,"
                + " \"tokens_per_s\": %.1f, \"peak_memory_bytes\": %d, \"peak_memory_kind\": \"%s\", \"last_loss\": %.5f,"
                + " \"skipped_steps\": %d, \"generation_tokens_per_s\": %s}",
            config.parameterCount(), trainable.values().stream().mapToLong(NDArray::size).sum(), batch, seq, median,
            batch * seq / median, peak, device.isGpu() ? "device used (cudaMemGetInfo)" : "process peak RSS growth",
            lastLoss, skipped, Double.isNaN(genRate) ? "null" : String.format(Locale.ROOT, "%.1f", genRate)));
      }
    }
  }

  // As Trainer does it: scaled loss, backward, gradients copied to float32 and unscaled, AdamW on masters.
  private static boolean step(AdaptedModel adapted, Map<String, NDArray> trainable, AdamW adamw, LossScaler scaler,
      int batch, int seq, Random random, double[] lossOut) {
    RandomTokenBatch tokens = RandomTokenBatch.next(random, batch, seq, adapted.base().config().vocabSize());
    try (NDManager scope = adapted.base().manager().newSubManager()) {
      for (NDArray param : trainable.values()) {
        try (NDArray grad = param.getGradient()) {
          grad.set(new NDIndex("..."), 0f); // the collector adds to gradients, never clears them
        }
      }
      Shape shape = new Shape(batch, seq);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = adapted.logits(scope.create(tokens.inputs(), shape), null); // (B, T, V)
        NDArray loss = TokenCrossEntropy.mean(logits, scope.create(tokens.labels(), shape));
        lossOut[0] = loss.getFloat();
        collector.backward(loss.mul(OwnedScalar.of(scope, scaler.scale())));
      }
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (var e : trainable.entrySet()) {
        NDArray grad = e.getValue().getGradient();
        grad.attach(scope);
        grads.put(e.getKey(), grad.toType(DataType.FLOAT32, false));
      }
      boolean finite = scaler.unscale(grads.values());
      scaler.update(finite);
      if (finite) {
        adamw.step(1e-4, grads);
      }
      return finite;
    }
  }

  private static int num(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return Integer.parseInt(v);
  }
}
