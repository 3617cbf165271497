package org.tuninglab.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.model.RandomWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tuninglab grow}: a deeper copy of a saved model by block expansion ({@link
 * org.tuninglab.model.DepthExpansion}), written as a model folder that {@code train} fine-tunes
 * like any other. The embedded model's last stage starts from one (docs/embedded-model.md).
 */
@Command(
    name = "grow",
    mixinStandardHelpOptions = true,
    description =
        "Write a deeper copy of a model (block expansion: each layer followed by new ones whose"
            + " output projections are zero, so the copy computes what the model does until trained).")
public final class GrowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "The model folder to grow.")
  Path model;

  @Option(
      names = "--layers",
      required = true,
      description = "The grown model's layer count: a multiple of the model's, greater than it.")
  int layers;

  @Option(names = "--out", required = true, description = "The folder to write the grown model to.")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the new layers' other weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--init-std",
      defaultValue = "0.02",
      description = "Standard deviation of the new layers' other weights (default: ${DEFAULT-VALUE}).")
  double initStd;

  @Override
  public Integer call() throws Exception {
    ModelConfig saved = ModelConfig.load(model);
    if (layers <= saved.numLayers() || layers % saved.numLayers() != 0) {
      throw new IllegalArgumentException(
          "--layers " + layers + ": expected a multiple of " + model + "'s " + saved.numLayers()
              + " layers, greater than it");
    }
    if (!(initStd > 0)) {
      throw new IllegalArgumentException("--init-std " + initStd + ": expected a positive number");
    }
    if (Files.exists(out.resolve("config.json"))) {
      throw new IllegalArgumentException("--out " + out + " already holds a model; expected a new folder");
    }
    OutputLocation.check("--out", out);
    try (PretrainedModel grown =
        PretrainedModel.loadToContinue(model, saved.maxPositions(), layers,
            RandomWeights.forTraining(seed, initStd), Device.cpu(), DataType.FLOAT32)) {
      grown.save(out, TensorDType.F32, Long.MAX_VALUE);
      PrintWriter err = spec.commandLine().getErr();
      err.printf(Locale.ROOT, "grow: %s (%d layers) -> %s (%d layers, %,d parameters)%n",
          model, saved.numLayers(), out, layers, grown.model().config().parameterCount());
      err.flush();
    }
    return 0;
  }
}
