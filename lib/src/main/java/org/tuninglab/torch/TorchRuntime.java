package org.tuninglab.torch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The libtorch that really loaded, checked against what was asked for.
 *
 * @param location what was chosen and where it was found
 * @param version the torch version DJL reports
 * @param cudaBuild whether the loaded libtorch has CUDA
 * @param libtorchDir the folder libtorch was loaded from
 * @param gpus the GPUs DJL sees
 * @param defaultDevice the device models go to by default
 */
public record TorchRuntime(
    LibtorchLocation location, String version, boolean cudaBuild, String libtorchDir, List<Gpu> gpus, Device defaultDevice) {

  /**
   * A GPU and its memory.
   *
   * @param id the CUDA device index
   * @param totalBytes its memory, or -1 when unknown
   * @param usedBytes memory in use (by any process), or -1 when unknown
   */
  public record Gpu(int id, long totalBytes, long usedBytes) {}

  public TorchRuntime {
    gpus = List.copyOf(gpus);
  }

  /** Loads the libtorch {@code TUNINGLAB_TORCH} names (nothing is checked when it is unset) and checks it. */
  public static Optional<TorchRuntime> loadFromEnvironment() {
    return TorchChoice.fromEnvironment(System.getenv()).map(TorchRuntime::load);
  }

  /**
   * Finds, selects, loads and checks a libtorch. Must run before anything else starts DJL's engine.
   *
   * @throws TorchSelectionException when it cannot be found or loaded, or is not what was asked for
   */
  public static TorchRuntime load(TorchChoice choice) {
    Map<String, String> env = System.getenv();
    Optional<Path> python = choice.kind() == TorchChoice.Kind.CUDA ? PythonTorch.lib() : Optional.empty();
    LibtorchLocation location = LibtorchLocation.resolve(choice, env, Path.of(System.getProperty("user.home")), python);
    select(location, env);
    Engine engine;
    try {
      engine = Engine.getEngine("PyTorch");
    } catch (Throwable t) {
      throw new TorchSelectionException("could not load libtorch (" + location.source() + "; tried "
          + String.join("; ", location.tried()) + "): " + rootMessage(t) + ". "
          + (location.cuda() ? LibtorchLocation.CUDA_FIX : "Check the folder holds a complete libtorch " + LibtorchLocation.jniTorchVersion() + "."), t);
    }
    TorchRuntime runtime = describe(location, engine);
    runtime.check();
    return runtime;
  }

  /** The runtime of an engine already loaded (for reports such as {@code doctor}). */
  public static TorchRuntime describe(LibtorchLocation location, Engine engine) {
    boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
    List<Gpu> gpus = new ArrayList<>();
    int count = cuda ? engine.getGpuCount() : 0;
    for (int i = 0; i < count; i++) {
      long total = -1;
      long used = -1;
      try {
        MemoryUsage m = CudaUtils.getGpuMemory(Device.gpu(i));
        total = m.getMax();
        used = m.getCommitted();
      } catch (RuntimeException e) {
        // memory unknown; the device is still there
      }
      gpus.add(new Gpu(i, total, used));
    }
    return new TorchRuntime(location, engine.getVersion(), cuda, LibUtils.getLibtorchPath(), gpus, engine.defaultDevice());
  }

  /**
   * Sets the system properties DJL reads (it reads an environment variable first, so one that
   * disagrees is an error, not a silent override), and for CUDA links libcudart where DJL's device
   * count finds it.
   */
  static void select(LibtorchLocation location, Map<String, String> env) {
    for (Map.Entry<String, String> s : location.djlSettings().entrySet()) {
      String inEnv = env.get(s.getKey());
      if (inEnv != null && !inEnv.isBlank() && !samePath(inEnv, s.getValue())) {
        throw new TorchSelectionException("the environment sets " + s.getKey() + "=" + inEnv + ", which would override "
            + TorchChoice.ENV + "=" + location.choice() + " (wanting " + s.getValue() + "): unset " + s.getKey() + ".");
      }
      System.setProperty(s.getKey(), s.getValue());
    }
    if (location.download()) {
      URL cpuJar = TorchRuntime.class.getClassLoader().getResource("native/lib/pytorch.properties");
      if (cpuJar != null) {
        throw new TorchSelectionException("TUNINGLAB_TORCH=cuda found no CUDA libtorch to point DJL at, and DJL would take"
            + " the CPU build bundled on the class path (" + cpuJar + ") instead of downloading one. Start through"
            + " `./tuninglab --gpu ...`, whose class path leaves pytorch-native-cpu out, or: " + LibtorchLocation.CUDA_FIX);
      }
    }
    if (location.cuda()) {
      Path linkDir = Path.of(System.getProperty("java.io.tmpdir"),
          "tuninglab-cudart-" + System.getProperty("user.name", "user"));
      try {
        CudaRuntimeLink.link(location.dir(), env, linkDir).ifPresent(dir -> {
          String old = System.getProperty("jna.library.path");
          System.setProperty("jna.library.path", old == null || old.isBlank() ? dir.toString() : dir + java.io.File.pathSeparator + old);
        });
      } catch (IOException e) {
        throw new TorchSelectionException("cannot link libcudart into " + linkDir + ": " + e.getMessage(), e);
      }
    }
  }

  private void check() {
    if (!location.cuda()) {
      return;
    }
    if (!cudaBuild) {
      throw new TorchSelectionException(TorchChoice.ENV + "=" + location.choice() + " asked for CUDA, but the libtorch"
          + " loaded from " + libtorchDir + " is a CPU build (DJL found no matching CUDA build to download, or the"
          + " folder's libtorch has no CUDA). " + LibtorchLocation.CUDA_FIX);
    }
    if (gpus.isEmpty() || !defaultDevice.isGpu()) {
      String visible = System.getenv("CUDA_VISIBLE_DEVICES");
      throw new TorchSelectionException("CUDA libtorch " + version + " loaded from " + libtorchDir + ", but no GPU is"
          + " visible (CUDA_VISIBLE_DEVICES=" + (visible == null ? "unset" : "'" + visible + "'") + ", libcudart looked"
          + " for in " + CudaRuntimeLink.searchPath(location.dir(), System.getenv()) + "). On Palmetto run on a GPU node"
          + " (OnDemand's GPU field, or sbatch/srun --gpus a100:1); check `nvidia-smi` there. With a GPU present,"
          + " `module load cuda` puts libcudart.so on LD_LIBRARY_PATH for DJL's device count.");
    }
  }

  /** The start-up line: which libtorch, version, flavor and devices. */
  public String summary() {
    StringBuilder s = new StringBuilder("libtorch ").append(version).append(" (")
        .append(cudaBuild ? "CUDA" : "CPU").append(" build, flavor ").append(location.flavor()).append(") from ")
        .append(libtorchDir).append("; devices: ");
    if (gpus.isEmpty()) {
      s.append("cpu");
    } else {
      List<String> names = new ArrayList<>();
      for (Gpu g : gpus) {
        names.add("gpu(" + g.id() + ")" + (g.totalBytes() < 0 ? ""
            : String.format(Locale.ROOT, " %.1f GiB, %.1f GiB used", g.totalBytes() / GIB, g.usedBytes() / GIB)));
      }
      s.append(String.join(", ", names));
    }
    return s.append("; default ").append(defaultDevice).toString();
  }

  private static final double GIB = 1024.0 * 1024 * 1024;

  private static boolean samePath(String a, String b) {
    try {
      return a.equals(b) || Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    StringBuilder s = new StringBuilder(String.valueOf(t.getMessage()));
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
      s.append(": ").append(c.getMessage());
    }
    return s.toString();
  }
}
