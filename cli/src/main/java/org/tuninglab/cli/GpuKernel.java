package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tuninglab.kernel.KernelMain;
import org.tuninglab.kernel.spec.KernelSpec;
import org.tuninglab.torch.TorchChoice;
import org.tuninglab.torch.TorchRuntime;
import org.tuninglab.torch.TorchSelectionException;

/**
 * The GPU kernel: selects and checks the CUDA libtorch ({@code TUNINGLAB_TORCH} from its
 * kernelspec's environment), logs which one loaded, then runs the Java kernel. A CUDA build that
 * cannot be found or loaded stops the kernel with the fix in Jupyter's log, never a CPU fall-back.
 */
public final class GpuKernel {

  private GpuKernel() {}

  public static void main(String[] args) throws Exception {
    try {
      TorchRuntime runtime = TorchRuntime.load(TorchChoice.fromEnvironment(System.getenv()).orElse(TorchChoice.CUDA));
      System.err.println("Tuning Lab GPU kernel: " + runtime.summary());
    } catch (TorchSelectionException e) {
      System.err.println("Tuning Lab GPU kernel: " + e.getMessage());
      System.exit(3);
    }
    KernelMain.main(args);
  }

  /**
   * The "Java (Tuning Lab, GPU)" kernelspec: this JVM's class path without the CPU native jar, and
   * the environment that selects CUDA (a {@code TUNINGLAB_TORCH} folder and {@code DJL_CACHE_DIR}
   * set at install time are kept, so the kernel finds the same build).
   */
  static KernelSpec spec(Map<String, String> env) {
    List<Path> classpath = withoutCpuNatives(KernelClasspath.ofThisJvm());
    Map<String, String> kernelEnv = new LinkedHashMap<>();
    String torch = env.getOrDefault(TorchChoice.ENV, "");
    kernelEnv.put(TorchChoice.ENV, torch.isBlank() || torch.equals("cpu") ? "cuda" : torch);
    kernelEnv.put("RUST_FLAVOR", "cpu");
    for (String keep : List.of("DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "HF_HOME")) {
      String v = env.get(keep);
      if (v != null && !v.isBlank()) {
        kernelEnv.put(keep, v);
      }
    }
    return KernelSpec.forThisJvm(KernelSpec.GPU_NAME, classpath, kernelEnv)
        .as(KernelSpec.GPU_NAME, KernelSpec.GPU_DISPLAY_NAME, GpuKernel.class.getName());
  }

  /** The class path minus {@code pytorch-native-cpu}: with it there DJL takes the CPU build. */
  static List<Path> withoutCpuNatives(List<Path> classpath) {
    return classpath.stream().filter(p -> !p.getFileName().toString().startsWith("pytorch-native-cpu")).toList();
  }
}
