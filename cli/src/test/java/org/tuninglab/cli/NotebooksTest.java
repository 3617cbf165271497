package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Executes every notebook under {@code notebooks/} with Debian's {@code jupyter nbconvert
 * --execute} and the Java kernel (classpath: this test JVM's, which holds the kernel, the
 * extensions and the library), then checks {@code notebooks/expected-outputs.json}.
 * Skipped without Jupyter, except on CI ({@code CI=true}), where a missing Jupyter fails.
 */
class NotebooksTest {

  @Test
  void everyNotebookRunsWithoutErrorsAndShowsItsExpectedOutputs() throws Exception {
    Optional<Jupyter> jupyter = Jupyter.locate();
    if (jupyter.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true but Jupyter is not installed: " + Jupyter.installHint());
    }
    assumeTrue(jupyter.isPresent(), "Skipped: Jupyter (nbconvert) is not installed; " + Jupyter.installHint());

    Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    Path notebooks = root.resolve("notebooks");
    Path out = Path.of(System.getProperty("basedir", ".")).resolve("target/notebook-test");
    assertFalse(Workshop.notebooks(notebooks).isEmpty(), "no notebooks under " + notebooks);

    // -Dnotebooks=07-efficiency,00 runs only the notebooks whose file names start so.
    List<String> only = List.of(System.getProperty("notebooks", "").split(",")).stream()
        .filter(n -> !n.isBlank()).toList();
    List<NotebookRun> runs = new Workshop(jupyter.get(), notebooks, out, Duration.ofMinutes(20))
        .run(KernelClasspath.ofThisJvm(), name -> only.isEmpty() || only.stream().anyMatch(name::startsWith), run -> { });
    assertFalse(runs.isEmpty(), "no notebook matches -Dnotebooks=" + only);
    StringBuilder failures = new StringBuilder();
    for (NotebookRun run : runs) {
      if (!run.passed()) {
        failures.append(run.notebook().getFileName()).append(":\n  ").append(String.join("\n  ", run.problems())).append('\n');
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
    for (NotebookRun run : runs) {
      assertTrue(Files.isRegularFile(run.html()), "no HTML copy at " + run.html());
    }
  }
}
