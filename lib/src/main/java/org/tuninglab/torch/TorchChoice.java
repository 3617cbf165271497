package org.tuninglab.torch;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which libtorch to load, as {@code TUNINGLAB_TORCH} says: {@code cpu} (the bundled CPU build),
 * {@code cuda} (find a CUDA build), or a folder holding {@code libtorch.so}.
 *
 * @param kind what kind of build was asked for
 * @param folder the folder for {@link Kind#FOLDER}, else null
 */
public record TorchChoice(Kind kind, Path folder) {

  /** The environment variable that selects the build. */
  public static final String ENV = "TUNINGLAB_TORCH";

  /** What was asked for. */
  public enum Kind {
    /** The CPU build bundled in the {@code pytorch-native-cpu} jar. */
    CPU,
    /** A CUDA build, wherever it can be found. */
    CUDA,
    /** The build in a given folder (CPU or CUDA, as its files say). */
    FOLDER
  }

  public TorchChoice {
    if ((kind == Kind.FOLDER) != (folder != null)) {
      throw new IllegalArgumentException("a folder is given exactly when the kind is FOLDER");
    }
  }

  public static final TorchChoice CPU = new TorchChoice(Kind.CPU, null);
  public static final TorchChoice CUDA = new TorchChoice(Kind.CUDA, null);

  /** Parses {@code cpu}, {@code cuda} (also {@code gpu}) or a folder path. */
  public static TorchChoice parse(String value) {
    String v = value.strip();
    switch (v.toLowerCase(Locale.ROOT)) {
      case "cpu":
        return CPU;
      case "cuda":
      case "gpu":
        return CUDA;
      default:
        if (v.isEmpty() || !(v.contains("/") || v.startsWith("."))) {
          throw new TorchSelectionException(ENV + "='" + value + "' is not understood: use cpu, cuda, or the path of a"
              + " folder holding libtorch.so (e.g. a pip torch 2.7.1 wheel's .../site-packages/torch/lib)");
        }
        return new TorchChoice(Kind.FOLDER, Path.of(v).toAbsolutePath().normalize());
    }
  }

  /** The choice in {@code TUNINGLAB_TORCH}, or empty when it is unset (the bundled CPU build, unchecked). */
  public static Optional<TorchChoice> fromEnvironment(Map<String, String> env) {
    return Optional.ofNullable(env.get(ENV)).filter(v -> !v.isBlank()).map(TorchChoice::parse);
  }

  @Override
  public String toString() {
    return kind == Kind.FOLDER ? folder.toString() : kind.name().toLowerCase(Locale.ROOT);
  }
}
