package org.tuninglab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.tuninglab.kernel.spec.KernelSpec;
import org.tuninglab.lesson.Lab;

/**
 * Runs every notebook of a folder in name order, then the worked solutions in its
 * {@code solutions/} subfolder, headless, with the Java kernel installed into a private Jupyter
 * path (never the user's), and checks their expected outputs, that their outputs read well
 * ({@link NotebookOutputCheck}) and that the exercises' self-checks fail as shipped and pass in the
 * solutions ({@link NotebookSelfChecks}). Writes {@code index.html} listing them.
 */
final class Workshop {

  static final String KERNEL_NAME = KernelSpec.DEFAULT_NAME;
  static final String SOLUTIONS = "solutions";

  private final Jupyter jupyter;
  private final Path notebooksDir;
  private final Path outDir;
  private final Duration cellTimeout;

  Workshop(Jupyter jupyter, Path notebooksDir, Path outDir, Duration cellTimeout) {
    this.jupyter = jupyter;
    this.notebooksDir = notebooksDir;
    this.outDir = outDir.toAbsolutePath();
    this.cellTimeout = cellTimeout;
  }

  /** The notebooks to run, in order ({@code 00-setup.ipynb} first). */
  static List<Path> notebooks(Path notebooksDir) throws IOException {
    if (!Files.isDirectory(notebooksDir)) {
      throw new IllegalArgumentException("No notebooks folder at " + notebooksDir.toAbsolutePath());
    }
    try (Stream<Path> files = Files.list(notebooksDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  /** Installs the kernel under {@code outDir/jupyter} and runs each notebook; {@code onEach} sees each result as it lands. */
  List<NotebookRun> run(List<Path> classpath, java.util.function.Consumer<NotebookRun> onEach)
      throws IOException, InterruptedException {
    return run(classpath, name -> true, onEach);
  }

  /** As {@link #run(List, java.util.function.Consumer)}, for the notebooks (and their solutions) whose file name {@code selected} accepts. */
  List<NotebookRun> run(List<Path> classpath, Predicate<String> selected, java.util.function.Consumer<NotebookRun> onEach)
      throws IOException, InterruptedException {
    Path jupyterPath = outDir.resolve("jupyter");
    KernelSpec.forThisJvm(KERNEL_NAME, classpath, Map.of()).installInto(jupyterPath.resolve("kernels"));
    Map<String, String> env = new java.util.HashMap<>(Jupyter.privateEnvironment(jupyterPath));
    // One name for this run's notebooks and solutions: a solution reuses what its notebook measured (Lab.sharedFolder).
    env.put(Lab.WORKSHOP_RUN, LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    List<NotebookRun> runs = new ArrayList<>();
    Path solutions = notebooksDir.resolve(SOLUTIONS);
    runFolder(notebooksDir, outDir, false, selected, env, runs, onEach);
    if (Files.isDirectory(solutions)) {
      runFolder(solutions, outDir.resolve(SOLUTIONS), true, selected, env, runs, onEach);
    }
    WorkshopIndex.write(outDir, runs);
    return runs;
  }

  private void runFolder(Path folder, Path out, boolean solved, Predicate<String> selected, Map<String, String> env,
      List<NotebookRun> runs, java.util.function.Consumer<NotebookRun> onEach) throws IOException, InterruptedException {
    NotebookExpectations expectations = NotebookExpectations.load(folder);
    for (Path notebook : notebooks(folder)) {
      String name = notebook.getFileName().toString();
      if (!selected.test(name)) {
        continue;
      }
      Path executed = out.resolve(name);
      Path html = out.resolve(name.replaceFirst("\\.ipynb$", ".html"));
      long start = System.nanoTime();
      Jupyter.Result result = jupyter.execute(notebook, out, KERNEL_NAME, env, cellTimeout);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<String> problems = result.ok() ? checks(expectations, name, executed, solved) : List.of(lastLines(result.output(), 40));
      NotebookRun run = new NotebookRun(notebook, executed, html, seconds, problems);
      runs.add(run);
      onEach.accept(run);
    }
  }

  /** The notebook's own expected outputs, what no notebook may show ({@link NotebookOutputCheck}), its self-checks. */
  private static List<String> checks(NotebookExpectations expectations, String name, Path executed, boolean solved)
      throws IOException {
    List<String> problems = new ArrayList<>(expectations.check(name, executed));
    problems.addAll(NotebookOutputCheck.check(executed));
    problems.addAll(NotebookSelfChecks.check(executed, solved));
    return problems;
  }

  private static String lastLines(String text, int count) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }
}
