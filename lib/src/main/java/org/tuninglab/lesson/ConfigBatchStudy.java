package org.tuninglab.lesson;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.Example;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.Split;
import org.tuninglab.data.TruncationReport;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.io.ResidentMemory;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.train.Precision;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.Trainer;
import org.tuninglab.train.TrainerConfig;

/**
 * {@link BatchSizeStudy} on a fine-tuning config's model, method and data, on the CPU: what
 * {@code tuninglab bench batch} and the efficiency lesson run.
 *
 * <p>Every cell trains in a JVM of its own ({@link ResidentMemory#measuringChild}, live bytes), so
 * its peak memory is measured, as {@code bench plan} measures the planner's cases: the child loads
 * the config's model and data, trains one update of one example to load libtorch's kernels, reads
 * its resident set, trains the cell from the loaded weights and reports the cell with its peak over
 * that baseline. The accumulation check runs in this JVM.
 */
public final class ConfigBatchStudy {
  private static final String RECORD_PREFIX = "batch-study-cell ";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A child's Java heap before the weights' float copies. */
  private static final long CHILD_HEAP_BASE = 256L << 20;

  private ConfigBatchStudy() {}

  /** The config's model and data, loaded, and how to build a fresh trainee from its weights. */
  private record Loaded(PretrainedModel pretrained, SftCollator collator, EncodedDataset train,
      EncodedDataset holdout, BatchSizeStudy.Trainee trainee) implements AutoCloseable {

    static Loaded of(Path config, SftConfig sft) throws IOException {
      PretrainedModel pretrained =
          LanguageModel.loadPretrained(sft.model(), Device.cpu(), DataType.FLOAT32);
      try {
        Split<Example> split = SftRecipe.split(sft.data(), sft.trainer().seed());
        SftCollator collator = SftRecipe.collator(sft.data(), pretrained);
        EncodedDataset train = collator.encodeAll(split.train());
        EncodedDataset holdout = collator.encodeAll(split.holdout());
        if (holdout.size() == 0) {
          throw new IllegalArgumentException(config + ": the study needs a holdout; set"
              + " holdout_fraction, holdout_field or eval_file");
        }
        // Every cell starts from the loaded weights: keep them, and build each model from them.
        Map<String, float[]> initial = new HashMap<>();
        for (Map.Entry<String, NDArray> e : pretrained.model().namedArrays().entrySet()) {
          initial.put(e.getKey(), e.getValue().toFloatArray());
        }
        BatchSizeStudy.Trainee trainee = () -> {
          LlamaModel model = LlamaModel.create(pretrained.model().config(),
              (name, shape) -> initial.get(name), Device.cpu(), DataType.FLOAT32);
          return sft.method().apply(model, pretrained.tokenizer());
        };
        return new Loaded(pretrained, collator, train, holdout, trainee);
      } catch (IOException | RuntimeException e) {
        pretrained.close();
        throw e;
      }
    }

    @Override
    public void close() {
      pretrained.close();
    }
  }

  /**
   * Runs the grid; every cell starts from the config's loaded weights, in a JVM of its own.
   *
   * @param lr the learning rate at the smallest effective batch, null for the config's
   * @param onCell hears each finished cell with the count done so far
   */
  public static BatchSizeStudy.Result run(
      Path config, List<Integer> microBatches, List<Integer> accumulations, int examples,
      Double lr, LrScaling scaling, int evaluations, PrintStream log,
      BiConsumer<Integer, BatchSizeStudy.Cell> onCell) throws IOException {
    SftConfig sft = load(config);
    BatchSizeStudy.Settings settings = new BatchSizeStudy.Settings(microBatches, accumulations,
        examples, lr == null ? sft.trainer().lr() : lr, scaling, evaluations, sft.trainer());
    try (Loaded loaded = Loaded.of(config, sft)) {
      log.printf("batch size study: %s, method %s, %d training examples (%d available),"
              + " holdout %d, lr %.2e at effective batch %d, %s scaling; each cell in a JVM of its"
              + " own to measure its peak%n", sft.model(), sft.method().name(), examples,
          loaded.train().size(), loaded.holdout().size(), settings.baseLr(), settings.baseBatch(),
          settings.scaling().label());
      // The child's heap holds the weights' float copies and the encoded data; pre-touched.
      long heap = CHILD_HEAP_BASE + 8 * loaded.pretrained().model().config().parameterCount();
      String heapOption = (heap >> 20) + "m";
      BatchSizeStudy.CellTrainer inChild = (b, k) -> JSON.readValue(
          ResidentMemory.measuringChild("batch study cell " + b + " x " + k, heapOption, true,
              ConfigBatchStudy.class, childArgs(config, settings, b, k), RECORD_PREFIX),
          BatchSizeStudy.Cell.class);
      return BatchSizeStudy.run(settings, inChild, loaded.trainee(), loaded.collator(),
          loaded.train(), loaded.holdout(), log, onCell);
    }
  }

  private static SftConfig load(Path config) throws IOException {
    SftConfig sft = SftConfigFile.load(config);
    if (sft.precision() != Precision.FP32) {
      throw new IllegalArgumentException(config + ": precision must be fp32 for the study on a CPU");
    }
    return sft;
  }

  private static List<String> childArgs(Path config, BatchSizeStudy.Settings s, int b, int k) {
    return List.of(config.toAbsolutePath().toString(), csv(s.microBatches()),
        csv(s.accumulations()), Integer.toString(s.examples()), Double.toString(s.baseLr()),
        s.scaling().label(), Integer.toString(s.evaluations()), Integer.toString(b),
        Integer.toString(k));
  }

  private static String csv(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static List<Integer> ints(String csv) {
    return Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
  }

  /**
   * A cell's JVM: loads the config, warms libtorch up, trains the cell and prints it with its
   * measured peak as one JSON line.
   *
   * @param args config, micro-batches, accumulations, examples, base lr, scaling, evaluations, b, k
   * @throws IOException if the config, model or {@code /proc/self/status} cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 9) {
      throw new IllegalArgumentException("usage: ConfigBatchStudy CONFIG MICRO_BATCHES"
          + " ACCUMULATIONS EXAMPLES LR SCALING EVALUATIONS B K (started by ConfigBatchStudy.run)");
    }
    Path config = Path.of(args[0]);
    SftConfig sft = load(config);
    BatchSizeStudy.Settings settings = new BatchSizeStudy.Settings(ints(args[1]), ints(args[2]),
        Integer.parseInt(args[3]), Double.parseDouble(args[4]), LrScaling.parse(args[5]),
        Integer.parseInt(args[6]), sft.trainer());
    try (Loaded loaded = Loaded.of(config, sft)) {
      warmUp(loaded);
      System.gc();
      long before = ResidentMemory.current();
      BatchSizeStudy.Cell cell = BatchSizeStudy.cell(settings, loaded.trainee(), loaded.collator(),
          loaded.train(), loaded.holdout(), Integer.parseInt(args[7]), Integer.parseInt(args[8]));
      long peak = ResidentMemory.peak() - before;
      System.out.println(RECORD_PREFIX + JSON.writeValueAsString(cell.withMeasuredPeak(peak)));
    }
  }

  /** One update of one example, so libtorch's kernels, threads and the JIT are loaded. */
  private static void warmUp(Loaded loaded) throws IOException {
    var adapted = loaded.trainee().create();
    try {
      Trainer.builder().setAdaptedModel(adapted).setCollator(loaded.collator())
          .setTrainData(new EncodedDataset(loaded.train().examples().subList(0, 1),
              new TruncationReport(0, 0, List.of())))
          .setConfig(TrainerConfig.builder().optBatchSize(1).optMaxSteps(1).build()).build().fit();
    } finally {
      BatchSizeStudy.close(adapted);
    }
  }
}
