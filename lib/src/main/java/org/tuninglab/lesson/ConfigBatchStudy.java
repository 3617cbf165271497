package org.tuninglab.lesson;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.Example;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.Split;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.train.Precision;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.SftRecipe;

/**
 * {@link BatchSizeStudy} on a fine-tuning config's model, method and data, on the CPU: what
 * {@code tuninglab bench batch} and the efficiency lesson run.
 */
public final class ConfigBatchStudy {

  private ConfigBatchStudy() {}

  /**
   * Runs the grid; every cell starts from the config's loaded weights.
   *
   * @param lr the learning rate at the smallest effective batch, null for the config's
   * @param onCell hears each finished cell with the count done so far
   */
  public static BatchSizeStudy.Result run(
      Path config, List<Integer> microBatches, List<Integer> accumulations, int examples,
      Double lr, LrScaling scaling, int evaluations, PrintStream log,
      BiConsumer<Integer, BatchSizeStudy.Cell> onCell) throws IOException {
    SftConfig sft = SftConfigFile.load(config);
    if (sft.precision() != Precision.FP32) {
      throw new IllegalArgumentException(config + ": precision must be fp32 for the study on a CPU");
    }
    BatchSizeStudy.Settings settings = new BatchSizeStudy.Settings(microBatches, accumulations,
        examples, lr == null ? sft.trainer().lr() : lr, scaling, evaluations, sft.trainer());
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
      log.printf("batch size study: %s, method %s, %d training examples (%d available),"
              + " holdout %d, lr %.2e at effective batch %d, %s scaling%n", sft.model(),
          sft.method().name(), examples, train.size(), holdout.size(), settings.baseLr(),
          settings.baseBatch(), settings.scaling().label());
      return BatchSizeStudy.run(settings, trainee, collator, train, holdout, log, onCell);
    }
  }
}
