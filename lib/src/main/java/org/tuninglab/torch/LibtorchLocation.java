package org.tuninglab.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the chosen libtorch is, and the settings that make DJL load exactly it.
 *
 * @param choice what was asked for
 * @param dir the folder holding {@code libtorch.so}; null for the bundled CPU jar or a download by DJL
 * @param flavor DJL's flavor: {@code cpu} or the CUDA JNI's flavor (e.g. {@code cu128})
 * @param version the torch version the folder declares (e.g. {@code 2.7.1+cu128}), or null when unknown
 * @param source how it was found, in words
 * @param tried every place looked at, in order, for error messages and {@code doctor}
 */
public record LibtorchLocation(
    TorchChoice choice, Path dir, String flavor, String version, String source, List<String> tried) {

  /** The CUDA flavor whose JNI library {@code pytorch-jni} carries ({@code jnilib/linux-x86_64/cu128}). */
  public static final String CUDA_FLAVOR = "cu128";

  private static final String LIBTORCH = "libtorch.so";
  private static final String LIBTORCH_CUDA = "libtorch_cuda.so";
  private static final Pattern PY_VERSION = Pattern.compile("__version__(?:\\s*:\\s*str)?\\s*=\\s*['\"]([^'\"]+)['\"]");
  private static final Pattern LOCAL_CUDA = Pattern.compile("[^+]+\\+(cu\\d+)");
  private static final Pattern CACHE_FOLDER = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:-\\d+)?-(cu\\d+)(?:-precxx11)?-linux-x86_64");

  public LibtorchLocation {
    tried = List.copyOf(tried);
  }

  /** Whether this is a CUDA build. */
  public boolean cuda() {
    return flavor.startsWith("cu");
  }

  /** Whether DJL is to download the build into its cache (no folder found yet). */
  public boolean download() {
    return dir == null && cuda();
  }

  /**
   * The environment variables (DJL also reads them as system properties) that select this build:
   * none for the bundled CPU jar; otherwise {@code PYTORCH_VERSION} and {@code PYTORCH_FLAVOR}, and
   * {@code PYTORCH_LIBRARY_PATH} when a folder was found. {@code PYTORCH_VERSION} is the JNI's
   * release, or the folder's own when it was accepted for a JNI built for it (see {@link #builtJni}).
   */
  public Map<String, String> djlSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    if (choice.kind() == TorchChoice.Kind.CPU) {
      return s;
    }
    if (dir != null) {
      s.put("PYTORCH_LIBRARY_PATH", dir.toString());
    }
    s.put("PYTORCH_VERSION", ownRelease(version) ? release(version) : jniTorchVersion());
    s.put("PYTORCH_FLAVOR", flavor);
    return s;
  }

  /**
   * Finds the build for a choice.
   *
   * @param choice what was asked for
   * @param env the environment ({@code PYTORCH_LIBRARY_PATH}, {@code DJL_CACHE_DIR}, {@code DJL_OFFLINE}, ...)
   * @param home the user's home folder (DJL's default cache is {@code ~/.djl.ai})
   * @param pythonTorchLib the {@code torch/lib} of the {@code python3} on PATH, if it has torch
   * @return the location
   * @throws TorchSelectionException when nothing fits, naming what was tried and how to fix it
   */
  public static LibtorchLocation resolve(
      TorchChoice choice, Map<String, String> env, Path home, Optional<Path> pythonTorchLib) {
    List<String> tried = new ArrayList<>();
    switch (choice.kind()) {
      case CPU:
        return new LibtorchLocation(choice, null, "cpu", jniTorchVersion(), "the bundled pytorch-native-cpu jar", tried);
      case FOLDER:
        return inFolder(choice, choice.folder(), TorchChoice.ENV + " folder", engineCache(env, home), tried)
            .orElseThrow(() -> new TorchSelectionException(TorchChoice.ENV + "=" + choice.folder()
                + ": no " + LIBTORCH + " there (looked in " + String.join(", ", tried) + "). " + FOLDER_FIX));
      default:
        break;
    }
    Path cache = engineCache(env, home);
    String override = env.get("PYTORCH_LIBRARY_PATH");
    if (override != null && !override.isBlank()) {
      Optional<LibtorchLocation> found = inFolder(choice, Path.of(override), "PYTORCH_LIBRARY_PATH", cache, tried);
      if (found.isPresent()) {
        return requireCuda(found.get());
      }
    }
    tried.add(cache + "/<version>-cu*-linux-x86_64 (a CUDA build DJL downloaded before)");
    Optional<Path> cached = cachedCudaBuild(cache);
    if (cached.isPresent()) {
      return inFolder(choice, cached.get(), "DJL's cache", cache, new ArrayList<>(tried)).map(LibtorchLocation::requireCuda).orElseThrow();
    }
    tried.add("the torch package of python3 on PATH");
    if (pythonTorchLib.isPresent()) {
      Optional<LibtorchLocation> found = inFolder(choice, pythonTorchLib.get(), "python3's torch", cache, tried);
      if (found.isPresent() && found.get().cuda()) {
        return found.get();
      }
      tried.add(pythonTorchLib.get() + " is a CPU build");
    }
    if (truthy(env.get("DJL_OFFLINE"))) {
      throw new TorchSelectionException("TUNINGLAB_TORCH=cuda: no CUDA libtorch found (tried "
          + String.join("; ", tried) + ") and DJL_OFFLINE=true forbids downloading one. " + CUDA_FIX);
    }
    tried.add("a download of libtorch " + jniTorchVersion() + " " + CUDA_FLAVOR + " into " + cache);
    return new LibtorchLocation(choice, null, CUDA_FLAVOR, null, "downloaded by DJL into " + cache, tried);
  }

  /** How to get a CUDA libtorch; shared by every CUDA error. */
  public static final String CUDA_FIX = "Fix: on a node with network (Palmetto: a data-transfer node), run"
      + " `DJL_CACHE_DIR=/scratch/$USER/djl TUNINGLAB_TORCH=cuda ./tuninglab doctor` once to download it into"
      + " that cache and export the same DJL_CACHE_DIR in jobs; or `pip install torch==2.7.1 --index-url"
      + " https://download.pytorch.org/whl/cu128` in a venv and set TUNINGLAB_TORCH to its .../site-packages/torch/lib."
      + " See docs/gpu.md.";

  private static final String FOLDER_FIX = "Point it at the folder holding libtorch.so: a pip torch wheel's"
      + " .../site-packages/torch/lib, or a libtorch zip's libtorch/lib; the JNI in pytorch-jni is built for torch "
      + jniTorchVersion() + ".";

  private static LibtorchLocation requireCuda(LibtorchLocation found) {
    if (!found.cuda()) {
      throw new TorchSelectionException("TUNINGLAB_TORCH=cuda, but " + found.dir() + " (" + found.source()
          + ") holds a CPU build of libtorch (no " + LIBTORCH_CUDA + "). " + CUDA_FIX);
    }
    return found;
  }

  // A folder holding libtorch.so itself, or a torch package / libtorch zip with it under lib/.
  private static Optional<LibtorchLocation> inFolder(
      TorchChoice choice, Path folder, String source, Path cache, List<String> tried) {
    for (Path dir : List.of(folder, folder.resolve("lib"))) {
      tried.add(dir.toString());
      if (Files.isRegularFile(dir.resolve(LIBTORCH))) {
        Path abs = dir.toAbsolutePath().normalize();
        String version = declaredVersion(abs);
        boolean cuda = Files.exists(abs.resolve(LIBTORCH_CUDA));
        String flavor = !cuda ? "cpu" : ownRelease(version) ? localFlavor(version) : CUDA_FLAVOR;
        if (ownRelease(version) && !Files.isRegularFile(builtJni(cache, release(version), flavor))) {
          throw new TorchSelectionException(otherRelease(abs, version, builtJni(cache, release(version), flavor)));
        }
        return Optional.of(new LibtorchLocation(choice, abs, flavor, version, source + " " + abs, tried));
      }
    }
    return Optional.empty();
  }

  /** The version a folder declares: a wheel's {@code torch/version.py}, or DJL's cache folder name. */
  static String declaredVersion(Path libDir) {
    Path versionPy = libDir.resolveSibling("version.py");
    if (Files.isRegularFile(versionPy)) {
      try {
        Matcher m = PY_VERSION.matcher(Files.readString(versionPy));
        if (m.find()) {
          return m.group(1);
        }
      } catch (IOException e) {
        return null;
      }
    }
    Matcher m = CACHE_FOLDER.matcher(libDir.getFileName().toString());
    return m.matches() ? m.group(1) + "+" + m.group(2) : null;
  }

  /**
   * Where DJL looks for a JNI library built for a torch release other than pytorch-jni's, and where
   * {@code scripts/build-djl-jni.sh} installs one: {@code CACHE/<release>-<flavor>-linux-x86_64/<djl>-libdjl_torch.so}.
   *
   * @param cache DJL's engine cache for PyTorch ({@link #engineCache})
   * @param release the torch release, e.g. {@code 2.11.0}
   * @param flavor {@code cpu} or the CUDA tag of the build, e.g. {@code cu130}
   */
  public static Path builtJni(Path cache, String release, String flavor) {
    return cache.resolve(release + "-" + flavor + "-linux-x86_64").resolve(djlVersion() + "-libdjl_torch.so");
  }

  // libdjl_torch is linked against one torch release: another one fails later with missing symbols,
  // unless a JNI was built for it.
  private static boolean ownRelease(String version) {
    return version != null && !version.startsWith(jniTorchVersion());
  }

  private static String release(String version) {
    return version.split("\\+")[0];
  }

  private static String localFlavor(String version) {
    Matcher m = LOCAL_CUDA.matcher(version);
    return m.matches() ? m.group(1) : CUDA_FLAVOR;
  }

  private static String otherRelease(Path dir, String version, Path jni) {
    return "libtorch in " + dir + " is torch " + version + ", but DJL's JNI (pytorch-jni) is built for torch "
        + jniTorchVersion() + " and no JNI built for " + release(version) + " is at " + jni + ": install torch=="
        + jniTorchVersion() + " (e.g. `pip install torch==" + jniTorchVersion()
        + " --index-url https://download.pytorch.org/whl/cu128`) and point TUNINGLAB_TORCH at its torch/lib,"
        + " or build DJL's JNI for this torch with scripts/build-djl-jni.sh (docs/gpu.md).";
  }

  private static Optional<Path> cachedCudaBuild(Path cache) {
    if (!Files.isDirectory(cache)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(cache)) {
      return dirs.filter(d -> {
        Matcher m = CACHE_FOLDER.matcher(d.getFileName().toString());
        return m.matches() && m.group(1).equals(jniTorchVersion()) && Files.isRegularFile(d.resolve(LIBTORCH));
      }).max(Comparator.comparing(d -> d.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** DJL's engine cache for PyTorch: {@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}. */
  public static Path engineCache(Map<String, String> env, Path home) {
    String engine = env.get("ENGINE_CACHE_DIR");
    if (engine != null && !engine.isBlank()) {
      return Path.of(engine, "pytorch");
    }
    String djl = env.get("DJL_CACHE_DIR");
    return (djl != null && !djl.isBlank() ? Path.of(djl) : home.resolve(".djl.ai")).resolve("pytorch");
  }

  /** The torch release DJL's JNI library is built for, from {@code pytorch-jni}'s {@code jnilib/pytorch.properties}. */
  public static String jniTorchVersion() {
    return JniVersion.VALUE[0];
  }

  /** The DJL release that JNI belongs to (e.g. {@code 0.36.0}), from the same file. */
  public static String djlVersion() {
    return JniVersion.VALUE[1];
  }

  private static final class JniVersion {
    // jni_version is "<torch release>-<djl release>", e.g. 2.7.1-0.36.0
    static final String[] VALUE = read();

    private static String[] read() {
      try (InputStream in = LibtorchLocation.class.getClassLoader().getResourceAsStream("jnilib/pytorch.properties")) {
        if (in == null) {
          throw new TorchSelectionException("pytorch-jni is not on the class path (no jnilib/pytorch.properties)");
        }
        Properties p = new Properties();
        p.load(in);
        String[] parts = p.getProperty("jni_version", "").split("-", 2);
        if (parts.length != 2) {
          throw new TorchSelectionException("pytorch-jni's jnilib/pytorch.properties: jni_version '"
              + p.getProperty("jni_version") + "' is not <torch release>-<djl release>");
        }
        return parts;
      } catch (IOException e) {
        throw new TorchSelectionException("cannot read pytorch-jni's jnilib/pytorch.properties: " + e.getMessage(), e);
      }
    }
  }

  private static boolean truthy(String v) {
    return v != null && List.of("1", "true", "yes", "on").contains(v.strip().toLowerCase(Locale.ROOT));
  }
}
