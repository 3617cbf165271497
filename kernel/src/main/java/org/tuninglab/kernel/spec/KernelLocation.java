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

  /**
   * Every kernels folder Jupyter searches, in its order: the user's, then each
   * {@code JUPYTER_PATH} entry, then the system folders.
   */
  public static java.util.List<Path> searchPath(Map<String, String> env) {
    java.util.List<Path> dirs = new java.util.ArrayList<>();
    dirs.add(user(env));
    String jupyterPath = env.get("JUPYTER_PATH");
    if (jupyterPath != null) {
      for (String d : jupyterPath.split(java.io.File.pathSeparator)) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d, "kernels"));
        }
      }
    }
    dirs.add(Path.of("/usr/local/share/jupyter/kernels"));
    dirs.add(Path.of("/usr/share/jupyter/kernels"));
    return dirs;
  }

  /** The kernels folder under an install prefix (a virtualenv, a shared software tree). */
  public static Path prefix(Path prefix) {
    return prefix.resolve("share").resolve("jupyter").resolve("kernels");
  }
}
