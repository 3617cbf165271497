package org.tuninglab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.Example;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.Split;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.lesson.BatchSizeStudy;
import org.tuninglab.lesson.LrScaling;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.train.Precision;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.SftRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tuninglab bench batch CONFIG}: the batch-size study on a fine-tuning config's model and data. */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Micro-batch x accumulation on the same examples: tokens/s, step time, planned"
        + " peak memory, updates, train and holdout loss and gap, and the k x b equivalence check.")
final class BatchBenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "A fine-tuning config (e.g. configs/tuninglab-tiny-full.yaml).")
  Path config;

  @Option(names = "--micro-batches", split = ",", defaultValue = "2,4,8",
      description = "Micro-batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> microBatches;

  @Option(names = "--accumulations", split = ",", defaultValue = "1,4",
      description = "Accumulation steps (default: ${DEFAULT-VALUE}).")
  List<Integer> accumulations;

  @Option(names = "--examples", defaultValue = "256",
      description = "Training examples every cell sees (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--lr", description = "The learning rate at the smallest effective batch"
      + " (default: the config's).")
  Double lr;

  @Option(names = "--lr-scaling", defaultValue = "none",
      description = "none, linear or sqrt (default: ${DEFAULT-VALUE}).")
  String lrScaling;

  @Option(names = "--evaluations", defaultValue = "4",
      description = "Holdout evaluations per cell (default: ${DEFAULT-VALUE}).")
  int evaluations;

  @Override
  public Integer call() throws Exception {
    SftConfig sft = SftConfigFile.load(config);
    if (sft.precision() != Precision.FP32) {
      throw new IllegalArgumentException(config + ": precision must be fp32 for the study on a CPU");
    }
    BatchSizeStudy.Settings settings = new BatchSizeStudy.Settings(microBatches, accumulations,
        examples, lr == null ? sft.trainer().lr() : lr, LrScaling.parse(lrScaling), evaluations,
        sft.trainer());
    try (PretrainedModel pretrained = LanguageModel.loadPretrained(sft.model(), Device.cpu(), DataType.FLOAT32)) {
      Split<Example> split = SftRecipe.split(sft.data(), sft.trainer().seed());
      SftCollator collator = SftRecipe.collator(sft.data(), pretrained);
      EncodedDataset train = collator.encodeAll(split.train());
      EncodedDataset holdout = collator.encodeAll(split.holdout());
      if (holdout.size() == 0) {
        throw new IllegalArgumentException(config + ": the study needs a holdout; set"
            + " holdout_fraction, holdout_field or eval_file");
      }
      // Every cell starts from the loaded weights: keep them, and build each cell's model from them.
      Map<String, float[]> initial = new HashMap<>();
      for (Map.Entry<String, NDArray> e : pretrained.model().namedArrays().entrySet()) {
        initial.put(e.getKey(), e.getValue().toFloatArray());
      }
      BatchSizeStudy.Trainee trainee = () -> {
        LlamaModel model = LlamaModel.create(pretrained.model().config(),
            (name, shape) -> initial.get(name), Device.cpu(), DataType.FLOAT32);
        return sft.method().apply(model, pretrained.tokenizer());
      };
      System.out.printf("batch size study: %s, method %s, %d training examples (%d available),"
              + " holdout %d, lr %.2e at effective batch %d, %s scaling%n", sft.model(),
          sft.method().name(), examples, train.size(), holdout.size(), settings.baseLr(),
          settings.baseBatch(), settings.scaling().label());
      BatchSizeStudy.run(settings, trainee, collator, train, holdout, System.out);
    }
    return 0;
  }
}
