package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.train.ConsoleProgress;
import org.tuninglab.train.PretrainConfig;
import org.tuninglab.train.PretrainConfigFile;
import org.tuninglab.train.PretrainRecipe;
import org.tuninglab.train.PretrainResult;
import org.tuninglab.train.StopReason;
import org.tuninglab.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tuninglab pretrain CONFIG}: train a tokenizer and a small decoder from scratch on a text
 * corpus; rerunning it with the same output folder resumes from the newest checkpoint.
 */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description = "Pretrain a small model from scratch on a text corpus (YAML or JSON config).")
public final class PretrainCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "The pretraining config file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    PretrainConfig pretrain = PretrainConfigFile.load(config);
    OutputLocation.check("output_dir", pretrain.trainer().outputDir());
    System.err.printf(
        "pretrain: corpus %s, %s, output %s%n",
        pretrain.trainFile(),
        pretrain.initFrom() == null ? "new weights" : "continuing " + pretrain.initFrom(),
        pretrain.trainer().outputDir());
    List<TrainingListener> listeners = new ArrayList<>(List.of(new ConsoleProgress(System.err)));
    long start = System.nanoTime();
    PretrainResult result =
        PretrainRecipe.run(pretrain, listeners.toArray(new TrainingListener[0]));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.err.printf(
        Locale.ROOT,
        "pretrain: vocabulary %d, %d parameters, %d training tokens in %d sequences (and %d"
            + " copy-drill sequences), %d holdout tokens; holdout loss %.4f before, %.4f after (uniform guess %.4f); %d steps in"
            + " %.0f s%n",
        result.vocabSize(),
        result.parameters(),
        result.trainTokens(),
        result.trainSequences(),
        result.copyDrillSequences(),
        result.holdoutTokens(),
        result.initialHoldoutLoss(),
        result.finalHoldoutLoss(),
        Math.log(result.vocabSize()),
        result.training().steps(),
        seconds);
    if (result.modelDir() != null) {
      System.out.println(result.modelDir());
    }
    return result.training().reason() == StopReason.NON_FINITE ? 1 : 0;
  }
}
