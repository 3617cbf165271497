package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.train.ConsoleProgress;
import org.tuninglab.train.DpoConfig;
import org.tuninglab.train.DpoConfigFile;
import org.tuninglab.train.DpoRecipe;
import org.tuninglab.train.DpoResult;
import org.tuninglab.train.RunTrackingListener;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;
import org.tuninglab.train.StopReason;
import org.tuninglab.train.TrainingListener;
import org.tuninglab.train.TrainingStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tuninglab train CONFIG}: run the supervised fine-tuning recipe, or with {@code stage: dpo}
 * the preference recipe, from a YAML or JSON config; rerunning it with the same output folder
 * resumes from the newest checkpoint.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Fine-tune a model from a recipe config (YAML or JSON); resumes from the newest checkpoint.")
public final class TrainCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "The recipe config file.")
  Path config;

  @Option(names = "--track", description = "Log the run to a run store (see --store); a resumed run appends to it.")
  boolean track;

  @Mixin StoreOption store;

  @Override
  public Integer call() throws Exception {
    if (TrainingStage.of(config) == TrainingStage.DPO) {
      return dpo(DpoConfigFile.load(config));
    }
    SftConfig sft = SftConfigFile.load(config);
    OutputLocation.check("output_dir", sft.trainer().outputDir());
    System.err.printf("train: %s, method %s, data %s, output %s%n",
        sft.model(), sft.method().name(), sft.data().trainFile(), sft.trainer().outputDir());
    List<TrainingListener> listeners = new ArrayList<>(List.of(new ConsoleProgress(System.err)));
    if (track) {
      listeners.add(RunTrackingListener.forRecipe(store.open(), sft));
    }
    SftResult result = SftRecipe.run(sft, listeners.toArray(new TrainingListener[0]));
    System.err.printf("train: %d training and %d holdout examples; %d truncated (%d tokens cut)%s%n",
        result.trainExamples(), result.holdoutExamples(), result.truncation().examplesTruncated(),
        result.truncation().tokensCut(),
        result.truncation().completionCutEntirely().isEmpty()
            ? ""
            : ", left out with their completion cut entirely: "
                + result.truncation().completionCutEntirely());
    if (result.finalModel() != null) {
      System.out.println(result.finalModel());
    }
    if (result.adapter() != null) {
      System.out.println(result.adapter());
    }
    return result.training().reason() == StopReason.NON_FINITE ? 1 : 0;
  }

  private int dpo(DpoConfig dpo) throws Exception {
    System.err.printf("train: stage dpo, %s%s, method %s, loss %s (beta %s), reference %s, data %s,"
            + " output %s%n",
        dpo.model(), dpo.sftAdapter() == null ? "" : " + SFT adapter " + dpo.sftAdapter(),
        dpo.method(), dpo.loss().name(), dpo.loss().beta(),
        dpo.reference().name().toLowerCase(java.util.Locale.ROOT), dpo.data().trainFile(),
        dpo.trainer().outputDir());
    List<TrainingListener> listeners = new ArrayList<>(List.of(new ConsoleProgress(System.err)));
    if (track) {
      listeners.add(RunTrackingListener.forRecipe(store.open(), dpo));
    }
    DpoResult result = DpoRecipe.run(dpo, listeners.toArray(new TrainingListener[0]));
    System.err.printf("train: %d training and %d holdout pairs; reference: %s%n",
        result.trainPairs(), result.holdoutPairs(), result.reference());
    if (result.finalModel() != null) {
      System.out.println(result.finalModel());
    }
    if (result.adapter() != null) {
      System.out.println(result.adapter());
    }
    return result.training().reason() == StopReason.NON_FINITE ? 1 : 0;
  }
}
