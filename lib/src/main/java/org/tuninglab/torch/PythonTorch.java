package org.tuninglab.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The {@code torch/lib} folder of the {@code python3} on PATH (a venv's pip torch), if it has torch. */
public final class PythonTorch {

  private PythonTorch() {}

  /** Asks {@code python3} where torch is; empty when there is no python3, no torch, or it takes over 20 s. */
  public static Optional<Path> lib() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import os, torch; print(os.path.dirname(torch.__file__))")
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0 || out.isEmpty()) {
        return Optional.empty();
      }
      Path lib = Path.of(out).resolve("lib");
      return Files.isDirectory(lib) ? Optional.of(lib) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
