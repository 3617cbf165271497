package org.tuninglab.cli;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tuninglab.lesson.FinetuneComparison;
import org.tuninglab.train.SftConfigFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tuninglab bench finetune CONFIG...}: each config's model before and after its recipe. */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    description =
        "Run each recipe config fully and print holdout loss, exact match, valid JSON and entity F1"
            + " before and after (the untuned model is the reference, measured in the same run).")
final class FinetuneBenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CONFIG", arity = "1..*")
  List<Path> configs;

  @Option(
      names = "--scored",
      defaultValue = "20",
      description = "Holdout examples answered greedily.")
  int scored;

  @Option(names = "--max-new-tokens", defaultValue = "80")
  int maxNewTokens;

  @Option(
      names = "--general-text",
      paramLabel = "FILE",
      description =
          "A text file (documents separated by blank lines) whose loss before and after measures"
              + " forgetting, e.g. datasets/stories/holdout.txt for the embedded model.")
  Path generalText;

  @Override
  public Integer call() throws Exception {
    System.out.println(
        "config | method | trainable | seconds | holdout loss before → after | exact match before →"
            + " after | valid JSON before → after | entity F1 before → after"
            + (generalText == null ? "" : " | general text loss before → after"));
    for (Path config : configs) {
      FinetuneComparison.Row r =
          FinetuneComparison.run(
              config,
              SftConfigFile.load(config),
              Engine.getInstance().defaultDevice(),
              scored,
              maxNewTokens,
              generalText);
      System.out.printf(
          Locale.ROOT,
          "%s | %s | %d | %.0f | %.3f → %.3f (×%.2f) | %.2f → %.2f | %.2f → %.2f | %.2f → %.2f"
              + " (n=%d)",
          r.config(),
          r.method(),
          r.trainableParameters(),
          r.seconds(),
          r.lossBefore(),
          r.lossAfter(),
          r.lossAfter() / r.lossBefore(),
          r.before().exactMatch(),
          r.after().exactMatch(),
          r.before().validJson(),
          r.after().validJson(),
          r.before().entityF1(),
          r.after().entityF1(),
          r.after().examples());
      if (generalText != null) {
        System.out.printf(
            Locale.ROOT, " | %.3f → %.3f", r.generalLossBefore(), r.generalLossAfter());
      }
      System.out.println();
    }
    return 0;
  }
}
