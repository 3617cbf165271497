package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.LlamaWeights;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.NamedArray;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Parameters and training memory of a method on a model, counted as PEFT's {@code
 * print_trainable_parameters} counts them: a tied output head once, an NF4 weight as its logical
 * number of values, prompt embeddings on top of the base.
 *
 * @param method the method's short name (full, lora, qlora, prompt)
 * @param trainableParameters values an optimiser updates
 * @param totalParameters all values, base and adapters
 * @param weightBytes bytes the weights are stored in (NF4 codes and scales for a QLoRA base)
 * @param gradientBytes one gradient per trainable value
 * @param optimizerBytes AdamW's two float32 states per trainable value
 */
public record ParameterReport(
    String method,
    long trainableParameters,
    long totalParameters,
    long weightBytes,
    long gradientBytes,
    long optimizerBytes) {

  private static final int FLOAT_BYTES = 4;
  private static final int ADAMW_STATES = 2;

  /**
   * The report for {@code method} on a float32 model of shape {@code config}, without loading
   * weights.
   */
  public static ParameterReport of(ModelConfig config, MethodSpec method) {
    long base = config.parameterCount();
    if (method instanceof MethodSpec.Full) {
      return dense(method, base, base);
    } else if (method instanceof MethodSpec.Lora l) {
      return dense(method, loraParameters(config, l.config()), base);
    } else if (method instanceof MethodSpec.PromptTuning p) {
      return dense(method, (long) p.config().numVirtualTokens() * config.hiddenSize(), base);
    }
    LoraConfig lora = ((MethodSpec.QLora) method).config();
    long trainable = loraParameters(config, lora);
    long quantizedValues = 0;
    long quantizedBytes = 0;
    for (long[] shape : LlamaWeights.projectionShapes(config).values()) {
      quantizedValues += shape[0] * shape[1];
      quantizedBytes += Nf4Tensor.storedBytes(shape[0] * shape[1]);
    }
    long total = base + trainable;
    return new ParameterReport(
        method.name(),
        trainable,
        total,
        FLOAT_BYTES * (total - quantizedValues) + quantizedBytes,
        FLOAT_BYTES * trainable,
        ADAMW_STATES * FLOAT_BYTES * trainable);
  }

  private static ParameterReport dense(MethodSpec method, long trainable, long base) {
    long total = method instanceof MethodSpec.Full ? base : base + trainable;
    return new ParameterReport(
        method.name(),
        trainable,
        total,
        FLOAT_BYTES * total,
        FLOAT_BYTES * trainable,
        ADAMW_STATES * FLOAT_BYTES * trainable);
  }

  private static long loraParameters(ModelConfig config, LoraConfig lora) {
    Map<String, long[]> shapes = LlamaWeights.projectionShapes(config);
    long count = 0;
    for (String path : LoraTargets.select(shapes.keySet(), lora.targetModules())) {
      long[] outIn = shapes.get(path);
      count += lora.parametersFor(outIn[1], outIn[0]);
    }
    return count;
  }

  /** The report counted from the arrays a built model holds, in their actual dtypes. */
  public static ParameterReport of(AdaptedModel adapted) {
    Map<NDArray, Long> nf4Codes = new IdentityHashMap<>();
    Set<NDArray> nf4State = Collections.newSetFromMap(new IdentityHashMap<>());
    for (LinearLayer layer : adapted.base().linearLayers().values()) {
      LinearLayer base = layer instanceof LoraLinear l ? l.base() : layer;
      if (base instanceof Nf4Linear q) {
        q.weight().arrays().forEach(a -> nf4State.add(a.array()));
        nf4Codes.put(q.weight().packedCodes(), q.weight().shape().size());
      }
    }
    List<NDArray> arrays = new ArrayList<>(adapted.base().namedArrays().values());
    adapted.trainableArrays().forEach(a -> arrays.add(a.array()));
    Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    long total = 0;
    long bytes = 0;
    for (NDArray a : arrays) {
      if (!seen.add(a)) {
        continue;
      }
      bytes += a.size() * a.getDataType().getNumOfBytes();
      if (nf4Codes.containsKey(a)) {
        total += nf4Codes.get(a);
      } else if (!nf4State.contains(a)) {
        total += a.size();
      }
    }
    long trainable = 0;
    long gradientBytes = 0;
    for (NamedArray a : adapted.trainableArrays()) {
      trainable += a.array().size();
      gradientBytes += a.array().size() * a.array().getDataType().getNumOfBytes();
    }
    return new ParameterReport(
        adapted.method().name(),
        trainable,
        total,
        bytes,
        gradientBytes,
        ADAMW_STATES * FLOAT_BYTES * trainable);
  }

  /** Percentage of the parameters that train. */
  public double trainablePercent() {
    return 100.0 * trainableParameters / totalParameters;
  }

  /** Weights, gradients and optimiser state together (activations not included). */
  public long trainingBytes() {
    return weightBytes + gradientBytes + optimizerBytes;
  }

  /** PEFT's line, then the memory. */
  public String format() {
    return String.format(
        Locale.ROOT,
        "%s: trainable params: %,d || all params: %,d || trainable%%: %.4f%n"
            + "  weights %s, gradients %s, AdamW states %s, total %s (activations not included)",
        method,
        trainableParameters,
        totalParameters,
        trainablePercent(),
        bytes(weightBytes),
        bytes(gradientBytes),
        bytes(optimizerBytes),
        bytes(trainingBytes()));
  }

  /** One row per quantity: its name, its exact value, and the value for reading. */
  public Table toTable() {
    String[] names = {
      "trainable parameters",
      "total parameters",
      "weight bytes",
      "gradient bytes",
      "optimizer bytes",
      "training bytes"
    };
    long[] values = {
      trainableParameters,
      totalParameters,
      weightBytes,
      gradientBytes,
      optimizerBytes,
      trainingBytes()
    };
    String[] readable = {
      String.format(Locale.ROOT, "%,d", trainableParameters),
      String.format(Locale.ROOT, "%,d (%.4f%% trainable)", totalParameters, trainablePercent()),
      bytes(weightBytes),
      bytes(gradientBytes),
      bytes(optimizerBytes),
      bytes(trainingBytes())
    };
    return Table.create(
        "parameters (" + method + ")",
        StringColumn.create("quantity", names),
        LongColumn.create("value", values),
        StringColumn.create("readable", readable));
  }

  /** A byte count for reading: B, KiB, MiB, GiB or TiB with two decimals. */
  public static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
  }
}
