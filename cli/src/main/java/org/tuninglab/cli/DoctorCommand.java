package org.tuninglab.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.tuninglab.hub.ModelLocator;
import org.tuninglab.io.HugePages;
import org.tuninglab.kernel.spec.InstalledKernel;
import org.tuninglab.kernel.spec.KernelLocation;
import org.tuninglab.torch.LibtorchLocation;
import org.tuninglab.torch.TorchChoice;
import org.tuninglab.torch.TorchRuntime;
import org.tuninglab.torch.TorchSelectionException;
import picocli.CommandLine.Command;

/**
 * {@code tuninglab doctor}: what this machine and setup are, one {@code field: value} a line, for
 * support tickets. A libtorch that fails to load is reported (with its fix), not fatal.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = "Print Java, DJL, libtorch, CUDA devices, threads, Jupyter kernels and the HF cache (paste it into support tickets).")
final class DoctorCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Map<String, String> env = System.getenv();
    field(out, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") "
        + System.getProperty("java.home"));
    field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
        + Runtime.getRuntime().availableProcessors() + " cpus, host " + org.tuninglab.track.Environment.hostName());
    field(out, "djl", Engine.getDjlVersion() + ", JNI built for torch " + LibtorchLocation.jniTorchVersion());
    String choice = env.getOrDefault(TorchChoice.ENV, "");
    field(out, "torch choice", (choice.isBlank() ? "unset (bundled CPU build)" : TorchChoice.ENV + "=" + choice)
        + "; pytorch-native-cpu jar " + (getClass().getClassLoader().getResource("native/lib/pytorch.properties") == null
            ? "not on the class path" : "on the class path"));
    field(out, "djl cache", LibtorchLocation.engineCache(env, Path.of(System.getProperty("user.home"))).toString());
    int status = 0;
    try {
      TorchRuntime rt = TorchRuntime.load(TorchChoice.fromEnvironment(env).orElse(TorchChoice.CPU));
      field(out, "libtorch", rt.version() + ", " + (rt.cudaBuild() ? "CUDA" : "CPU") + " build, flavor "
          + rt.location().flavor() + ", " + rt.libtorchDir() + " (" + rt.location().source() + ")");
      field(out, "cuda devices", rt.gpus().isEmpty() ? "none" : rt.summary().replaceFirst(".*; devices: ", ""));
      field(out, "torch threads", JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads() + " inter-op");
    } catch (TorchSelectionException e) {
      field(out, "libtorch", "NOT LOADED: " + e.getMessage());
      status = 3;
    }
    field(out, "nvidia-smi", firstLines(List.of("nvidia-smi", "--query-gpu=index,name,memory.total,memory.used,driver_version",
        "--format=csv,noheader"), 8).orElse("not found"));
    field(out, "CUDA_VISIBLE_DEVICES", env.getOrDefault("CUDA_VISIBLE_DEVICES", "unset"));
    field(out, "MKL_ENABLE_INSTRUCTIONS", env.getOrDefault("MKL_ENABLE_INSTRUCTIONS", "unset (MKL's own choice; slow on AMD)"));
    field(out, "OMP_NUM_THREADS", env.getOrDefault("OMP_NUM_THREADS", "unset (libtorch uses every core)"));
    field(out, "GLIBC_TUNABLES", env.getOrDefault("GLIBC_TUNABLES",
        "unset (without " + HugePages.GLIBC_TUNABLES + " large buffers fault in 4 KiB pages; docs/model.md)"));
    field(out, "transparent huge pages", HugePages.kernelMode());
    field(out, "jupyter", firstLines(List.of("jupyter", "--version"), 1).map(v -> "found").orElse("not on PATH"));
    List<InstalledKernel> kernels = InstalledKernel.find(KernelLocation.searchPath(env));
    if (kernels.isEmpty()) {
      field(out, "kernelspecs", "no Tuning Lab kernel installed (./tuninglab kernel install --user [--gpu])");
    }
    for (InstalledKernel k : kernels) {
      field(out, "kernelspec " + k.name(), k.displayName() + " in " + k.dir() + (k.missing().isEmpty() ? ", ok"
          : ", BROKEN: " + k.missing() + " missing (checkout moved?): run ./tuninglab kernel install --user"
              + (k.name().endsWith("gpu") ? " --gpu" : "") + " again"));
    }
    Path hub = ModelLocator.fromEnvironment().cacheDir();
    field(out, "hf cache", hub + ", " + freeSpace(hub) + (env.containsKey("HF_HOME") ? "" : " (HF_HOME unset;"
        + " on Palmetto export HF_HOME=/scratch/$USER/hf_cache)") + ", HF_HUB_OFFLINE=" + env.getOrDefault("HF_HUB_OFFLINE", "unset"));
    String job = env.get("SLURM_JOB_ID");
    field(out, "slurm job", job == null ? "none" : job + " on " + env.getOrDefault("SLURM_JOB_NODELIST", "?")
        + ", partition " + env.getOrDefault("SLURM_JOB_PARTITION", "?"));
    return status;
  }

  private static void field(PrintStream out, String name, String value) {
    out.println(name + ": " + value);
  }

  private static String freeSpace(Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      long free = Files.getFileStore(existing).getUsableSpace();
      return String.format(Locale.ROOT, "%.1f GiB free", free / (1024.0 * 1024 * 1024))
          + (existing.equals(dir.toAbsolutePath()) ? "" : " (not created yet)");
    } catch (IOException | NullPointerException e) {
      return "free space unknown";
    }
  }

  // A tool's first lines, or empty when it is absent, fails or hangs.
  private static java.util.Optional<String> firstLines(List<String> cmd, int lines) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return java.util.Optional.empty();
      }
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0
          ? java.util.Optional.of(String.join(" | ", text.lines().limit(lines).toList()))
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }
}
