package org.tuninglab.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab workshop}: executes every notebook headless into {@code target/workshop/} and prints a summary. */
@Command(
    name = "workshop",
    description = "Run the workshop: execute every notebook headless (executed .ipynb and HTML under target/workshop/).",
    mixinStandardHelpOptions = true)
final class WorkshopCommand implements Callable<Integer> {

  @Option(names = "--notebooks", paramLabel = "DIR", defaultValue = "notebooks", description = "Notebook folder (default: ${DEFAULT-VALUE}).")
  Path notebooks;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/workshop", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--cell-timeout", paramLabel = "SECONDS", defaultValue = "1800", description = "Longest a cell may run (default: ${DEFAULT-VALUE}).")
  long cellTimeoutSeconds;

  @Option(names = "--notebook", paramLabel = "NAME", description = "Run only notebooks whose file name starts with NAME "
      + "(repeatable, e.g. --notebook 00 --notebook 06), and their solutions.")
  List<String> only = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Optional<Jupyter> jupyter = Jupyter.locate();
    if (jupyter.isEmpty()) {
      System.err.println("Jupyter with nbconvert is not installed. On Debian/Ubuntu:");
      System.err.println("  " + Jupyter.installHint());
      return 2;
    }
    java.util.function.Predicate<String> selected = name -> only.isEmpty() || only.stream().anyMatch(name::startsWith);
    long count = Workshop.notebooks(notebooks).stream().filter(p -> selected.test(p.getFileName().toString())).count();
    System.out.printf(Locale.ROOT, "Running %d notebooks (and their solutions) from %s into %s%n", count, notebooks, out.toAbsolutePath());
    Workshop workshop = new Workshop(jupyter.get(), notebooks, out, Duration.ofSeconds(cellTimeoutSeconds));
    List<NotebookRun> runs = workshop.run(KernelClasspath.ofThisJvm(), selected, run -> {
      System.out.printf(Locale.ROOT, "  %-40s %8.1f s  %s%n", run.notebook().getFileName(), run.seconds(), run.passed() ? "ok" : "FAILED");
      run.problems().forEach(p -> System.out.println("      " + p.replace("\n", "\n      ")));
    });
    long failed = runs.stream().filter(r -> !r.passed()).count();
    System.out.println();
    for (NotebookRun run : runs) {
      System.out.println("  " + run.executed().toAbsolutePath() + (run.passed() ? "\n  " + run.html().toAbsolutePath() : ""));
    }
    System.out.printf(Locale.ROOT, "%d passed, %d failed, %.1f s in all; index: %s%n", runs.size() - failed, failed,
        runs.stream().mapToDouble(NotebookRun::seconds).sum(), out.toAbsolutePath().resolve(WorkshopIndex.FILE_NAME));
    return failed == 0 ? 0 : 1;
  }
}
