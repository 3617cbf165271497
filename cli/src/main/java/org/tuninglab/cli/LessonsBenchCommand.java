package org.tuninglab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tuninglab.lesson.Lab;
import org.tuninglab.lesson.LessonBench;
import org.tuninglab.lesson.LessonInputs;
import org.tuninglab.lesson.LessonReport;
import org.tuninglab.lesson.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tuninglab bench lessons}: every lesson's claim measured on one model (issue 12's table),
 * each figure printed with its bar and PASS or FAIL; {@code --json} also writes the figures.
 */
@Command(
    name = "lessons",
    mixinStandardHelpOptions = true,
    description =
        "Measure what each lesson shows (prompting, few-shot, RAG, the four presets,"
            + " out-of-distribution, forgetting, safety erosion) on held-out sets and print each"
            + " figure with its bar. Progress goes to stderr.")
final class LessonsBenchCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "DIR",
      description = "A model folder (default: the embedded model, models/tuninglab-tiny).")
  Path model;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write the figures as JSON, numbers in [0, 1].")
  Path json;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu(N).")
  String device;

  @Option(names = "--items", defaultValue = "160",
      description = "The most held-out items per measure (160: the entity holdout).")
  int items;

  @Option(names = "--max-new-tokens", defaultValue = "80")
  int maxNewTokens;

  @Option(names = "--max-steps", paramLabel = "N",
      description = "Cap each fine-tuning run at N updates (a quick check; the bars assume the presets).")
  Integer maxSteps;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Where handbooks, configs and fine-tuning outputs go (default: runs/bench-lessons-TIME).")
  Path work;

  @Override
  public Integer call() throws Exception {
    // Arguments are checked before the first model loads: a typo should not cost a long run.
    LessonBench.Settings settings = new LessonBench.Settings(items, maxNewTokens, maxSteps);
    if (model != null && !Files.isRegularFile(model.resolve("config.json"))) {
      throw new IllegalArgumentException("--model " + model + ": not a model folder (expected"
          + " config.json, model.safetensors and tokenizer.json in it)");
    }
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (Files.isDirectory(json) || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
        throw new IllegalArgumentException("--json " + json + ": cannot write there ("
            + (Files.isDirectory(json) ? "it is a folder" : parent + " is not a writable folder")
            + ")");
      }
    }
    Lab embedded = Lab.choose(Lab.EMBEDDED, device);
    Lab lab = model == null ? embedded
        : new Lab(model.toAbsolutePath().toString(), embedded.device(), embedded.root());
    Path dir = work != null ? work : embedded.path("runs/bench-lessons-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    System.out.println("Lesson benchmark: " + lab + "; work folder " + dir);
    LessonReport report;
    try (LessonBench bench =
        LessonBench.of(lab, LessonInputs.heldOut(items), settings, dir, new Progress(System.err))) {
      report = bench.all();
    }
    for (LessonReport.Bar bar : report.bars()) {
      System.out.println(bar);
    }
    long passed = report.bars().stream().filter(LessonReport.Bar::pass).count();
    System.out.printf(Locale.ROOT, "%d of %d bars met; wall time %.0f s (%.1f min)%n", passed,
        report.bars().size(), report.seconds(), report.seconds() / 60);
    if (json != null) {
      report.writeJson(json);
      System.out.println("wrote " + json);
    }
    return 0;
  }
}
