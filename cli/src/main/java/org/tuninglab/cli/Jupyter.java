package org.tuninglab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter, run headless: {@code /usr/bin/jupyter} for nbconvert and {@code /usr/bin/python3}
 * for jupyter_client. The {@code python3} first on PATH may lack Debian's packages, so the
 * system paths come first.
 */
final class Jupyter {

  /** The install command as root types it; {@link #installHint()} adds sudo for other users. */
  static final String INSTALL_HINT = "apt-get update && apt-get install -y --no-install-recommends "
      + "jupyter-nbconvert python3-nbclient jupyter-client python3-nbformat python3-ipykernel";

  /**
   * The install command for whoever runs this: root types it as it is (a fresh container has no
   * sudo); anyone else puts {@code sudo} before each apt-get.
   */
  static String installHint() {
    return "root".equals(System.getProperty("user.name")) ? INSTALL_HINT : INSTALL_HINT.replace("apt-get ", "sudo apt-get ");
  }

  private static final List<Path> JUPYTER_CANDIDATES = List.of(Path.of("/usr/bin/jupyter"), Path.of("/usr/local/bin/jupyter"));
  static final Path PYTHON = Path.of("/usr/bin/python3");

  private final Path executable;

  private Jupyter(Path executable) {
    this.executable = executable;
  }

  /** The installed Jupyter with nbconvert, if any. */
  static Optional<Jupyter> locate() {
    for (Path candidate : JUPYTER_CANDIDATES) {
      if (Files.isExecutable(candidate) && succeeds(List.of(candidate.toString(), "nbconvert", "--version"))) {
        return Optional.of(new Jupyter(candidate));
      }
    }
    return Optional.empty();
  }

  /** Whether {@link #PYTHON} can import jupyter_client (the protocol client the benchmark uses). */
  static boolean hasJupyterClient() {
    return Files.isExecutable(PYTHON) && succeeds(List.of(PYTHON.toString(), "-c", "import jupyter_client"));
  }

  private static boolean succeeds(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The environment that makes Jupyter see only the kernels under {@code jupyterPath} first. */
  static Map<String, String> privateEnvironment(Path jupyterPath) {
    return Map.of(
        "JUPYTER_PATH", jupyterPath.toAbsolutePath().toString(),
        "JUPYTER_RUNTIME_DIR", jupyterPath.resolve("runtime").toAbsolutePath().toString());
  }

  /**
   * Executes {@code notebook} with kernel {@code kernelName} into {@code outDir} (same file name)
   * and also writes an HTML copy. Returns nbconvert's combined output when it fails.
   */
  Result execute(Path notebook, Path outDir, String kernelName, Map<String, String> env, Duration cellTimeout)
      throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    Path executed = outDir.resolve(notebook.getFileName());
    Result run = run(List.of("nbconvert", "--to", "notebook", "--execute", notebook.toAbsolutePath().toString(),
        "--output-dir", outDir.toAbsolutePath().toString(), "--output", notebook.getFileName().toString(),
        "--ExecutePreprocessor.timeout=" + cellTimeout.toSeconds(),
        "--ExecutePreprocessor.kernel_name=" + kernelName), env, notebook.toAbsolutePath().getParent());
    if (!run.ok()) {
      return run;
    }
    Result html = run(List.of("nbconvert", "--to", "html", executed.toAbsolutePath().toString(), "--output-dir", outDir.toAbsolutePath().toString()),
        env, outDir);
    return html.ok() ? run : html;
  }

  private Result run(List<String> args, Map<String, String> env, Path workDir) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new Result(process.waitFor() == 0, output);
  }

  /** What a Jupyter command did: whether it exited 0, and its output. */
  record Result(boolean ok, String output) {}
}
