package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.train.ConsoleProgress;
import org.tuninglab.train.RunTrackingListener;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;
import org.tuninglab.train.StopReason;
import org.tuninglab.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tuninglab train CONFIG}: run the supervised fine-tuning recipe from a YAML or JSON config;
 * rerunning it with the same output folder resumes from the newest checkpoint.
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
}
