package org.tuninglab.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.lesson.Corruption;
import org.tuninglab.lesson.DataConclusion;
import org.tuninglab.lesson.DataRun;
import org.tuninglab.lesson.Lab;
import org.tuninglab.lesson.LearningCurve;
import org.tuninglab.lesson.LessonBench;
import org.tuninglab.lesson.Progress;
import org.tuninglab.lesson.PromptSizeStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tuninglab bench data}: the data lesson (notebook 04) at full size: the learning curve of
 * the LoRA preset over 10, 50, 100, 400 and all training examples at the preset's own number of
 * updates, the 400-example run with a quarter of its completions corrupted, and the prompt size
 * and latency of the 3-shot base model against the model fine-tuned on all examples.
 */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Measure the data lesson at full size: LoRA's learning curve (10, 50, 100, 400, all"
            + " examples, the same updates each), 25 % corrupted completions, and the 3-shot"
            + " prompt's tokens and latency against the fine-tuned model's. Progress goes to stderr.")
final class DataBenchCommand implements Callable<Integer> {
  /** The corrupted run's size: the largest of the curve that a short run still sees whole. */
  private static final int CORRUPTED_SIZE = 400;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu(N).")
  String device;

  @Option(names = "--items", defaultValue = "160",
      description = "Holdout texts every run answers (160: the whole entity holdout).")
  int items;

  @Option(names = "--max-new-tokens", defaultValue = "80")
  int maxNewTokens;

  @Option(names = "--max-steps", paramLabel = "N",
      description = "Updates of every run (default: the preset's, its epochs over all examples).")
  Integer maxSteps;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Where the runs go (default: runs/bench-data-TIME).")
  Path work;

  @Override
  public Integer call() throws Exception {
    LessonBench.Settings settings = new LessonBench.Settings(items, maxNewTokens, maxSteps);
    Lab lab = Lab.choose(Lab.EMBEDDED, device);
    Path dir = work != null ? work : lab.path("runs/bench-data-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Progress progress = new Progress(System.err);
    LearningCurve curve = LearningCurve.of(lab, "lora", settings, dir);
    System.out.println("Data benchmark: " + lab + ", " + curve.steps() + " updates a run, "
        + curve.holdout().size() + " holdout texts; work folder " + dir);
    List<DataRun> runs = curve.train(LearningCurve.SIZES, progress.counter("learning curve"));
    DataRun clean = runs.stream().filter(r -> r.examples() == CORRUPTED_SIZE).findFirst().orElseThrow();
    DataRun dirty = curve.trainCorrupted(CORRUPTED_SIZE,
        new Corruption(0.25, curve.preset().trainer().seed()), progress.counter("25 % corrupted"));
    System.out.println(curve.table("LoRA on the first n examples", runs).print());
    System.out.println(DataConclusion.curve(runs));
    System.out.println(curve.table("Clean against corrupted", List.of(clean, dirty)).print());
    System.out.println(DataConclusion.corruption(clean, dirty));
    PromptSizeStudy cost = PromptSizeStudy.measure(curve.preset(), runs.get(runs.size() - 1).adapter(),
        curve.training(), curve.holdout(), maxNewTokens, lab.djlDevice(),
        progress.counter("prompt size: 3-shot and fine-tuned answers"));
    System.out.println(cost.table("What each answer costs").print());
    System.out.println(DataConclusion.cost(cost));
    return 0;
  }
}
