package org.tuninglab.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tuninglab.bench.DpoStepCost;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.lesson.PreferenceBeforeAfter;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.train.ConsoleProgress;
import org.tuninglab.train.DpoConfig;
import org.tuninglab.train.DpoConfigFile;
import org.tuninglab.train.SftConfigFile;
import org.tuninglab.train.SftRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tuninglab bench dpo}: a preference run's model before and after (holdout reward accuracy,
 * the preference rate of greedy answers, the task score), and a DPO step's time and peak memory
 * against an SFT step on the same model and batch, with the reference scored in the step and
 * precomputed.
 */
@Command(
    name = "dpo",
    mixinStandardHelpOptions = true,
    description =
        "Run a DPO config and print holdout rewards/accuracies, the generated preference rate and the"
            + " task score before and after, then DPO vs SFT step time and peak memory.")
final class DpoBenchCommand implements Callable<Integer> {
  @Option(names = "--config", defaultValue = "configs/tuninglab-tiny-dpo-lora.yaml",
      description = "The DPO config (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--sft-config", defaultValue = "configs/tuninglab-tiny-full.yaml",
      description = "Trained first when the DPO config's model folder does not exist yet (default:"
          + " ${DEFAULT-VALUE}).")
  Path sftConfig;

  @Option(names = "--output", paramLabel = "DIR",
      description = "The run's output folder (default: a fresh temporary folder; a folder holding a"
          + " checkpoint is refused).")
  Path output;

  @Option(names = "--scored", defaultValue = "50", description = "Holdout prompts answered greedily.")
  int scored;

  @Option(names = "--max-new-tokens", defaultValue = "60")
  int maxNewTokens;

  @Option(names = "--step-pairs", defaultValue = "8", description = "Pairs in the timed step's batch.")
  int stepPairs;

  @Option(names = "--steps", defaultValue = "8", description = "Timed steps per variant.")
  int steps;

  @Option(names = "--no-step-cost", description = "Skip the step time and memory comparison.")
  boolean noStepCost;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    DpoConfig dpo = DpoConfigFile.load(config);
    if (!Files.isDirectory(Path.of(dpo.model()))) {
      System.err.printf("bench dpo: %s does not exist; training it with %s first%n", dpo.model(), sftConfig);
      SftRecipe.run(SftConfigFile.load(sftConfig), new ConsoleProgress(System.err));
    }
    dpo = dpo.withOutputDir(output != null ? output : Files.createTempDirectory("bench-dpo-"));
    PreferenceBeforeAfter run;
    ObjectNode out = new ObjectMapper().createObjectNode();
    try (PretrainedModel pretrained =
        LanguageModel.loadPretrained(dpo.model(), Device.cpu(), dpo.precision().dataType())) {
      run = PreferenceBeforeAfter.of(dpo, pretrained, scored, maxNewTokens);
      PreferenceBeforeAfter.Side before = run.before();
      run.train(new ConsoleProgress(System.err));
      PreferenceBeforeAfter.Side after = run.after();
      System.out.println(run.table("dpo: " + config.getFileName()).print());
      System.out.println(run.answers(3).print());
      out.put("config", config.toString());
      out.put("method", dpo.method().name());
      out.put("loss_type", dpo.loss().name());
      out.put("beta", dpo.loss().beta());
      out.put("scored", run.sample().size());
      out.put("holdout_accuracy_before", before.holdoutAccuracy());
      out.put("holdout_accuracy_after", after.holdoutAccuracy());
      out.put("preference_rate_before", before.preferenceRate());
      out.put("preference_rate_after", after.preferenceRate());
      out.put("task_score_before", before.taskScore());
      out.put("task_score_after", after.taskScore());
      out.put("seconds", run.seconds());
    }
    if (!noStepCost) {
      stepCost(out.putArray("step_cost"));
    }
    if (json != null) {
      AtomicFiles.writeString(json, out.toPrettyString() + "\n");
      System.out.println("wrote " + json);
    }
    return 0;
  }

  /** DPO's step against SFT's on the same model and batch, each variant in its own JVM. */
  private void stepCost(ArrayNode rows) throws java.io.IOException {
    List<DpoStepCost.Row> cost = DpoStepCost.measure(config.toAbsolutePath(), stepPairs, steps);
    System.out.println("step (LoRA, " + stepPairs + " pairs) | rows | median ms | × SFT | peak RSS growth");
    double sftMs = cost.get(0).stepMs();
    for (DpoStepCost.Row r : cost) {
      System.out.printf(Locale.ROOT, "%s | %d | %.1f | %.2f | %.1f MB%s%n", r.variant(), r.rows(), r.stepMs(),
          r.stepMs() / sftMs, r.peakBytes() / 1e6,
          r.precomputeSeconds() > 0
              ? String.format(Locale.ROOT, " (precomputing the batch's reference: %.2f s)", r.precomputeSeconds())
              : "");
      ObjectNode row = rows.addObject();
      row.put("variant", r.variant());
      row.put("rows", r.rows());
      row.put("step_ms", r.stepMs());
      row.put("peak_bytes", r.peakBytes());
      row.put("precompute_seconds", r.precomputeSeconds());
    }
  }
}
