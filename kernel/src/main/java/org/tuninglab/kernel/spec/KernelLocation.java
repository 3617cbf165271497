package org.tuninglab.kernel.spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where Jupyter looks for kernelspecs, computed as {@code jupyter_core} does it (no Jupyter needed). */
public final class KernelLocation {

  private KernelLocation() {}

  /** The per-user kernels folder: {@code $JUPYTER_DATA_DIR/kernels}, else the platform's default. */
  public static Path user(Map<String, String> env) {
    String dataDir = env.get("JUPYTER_DATA_DIR");
    if (dataDir != null && !dataDir.isBlank()) {
      return Path.of(dataDir, "kernels");
    }
    String home = System.getProperty("user.home");
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
      return Path.of(home, "Library", "Jupyter", "kernels");
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share");
    return data.resolve("jupyter").resolve("kernels");
  }

  /** The kernels folder under an install prefix (a virtualenv, a shared software tree). */
  public static Path prefix(Path prefix) {
    return prefix.resolve("share").resolve("jupyter").resolve("kernels");
  }
}
