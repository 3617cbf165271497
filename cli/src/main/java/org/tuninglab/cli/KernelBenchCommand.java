package org.tuninglab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tuninglab.kernel.spec.KernelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tuninglab bench kernel}: kernel start to ready (kernel_info answered), the first cell
 * (which waits for JShell to finish starting), and the round trip of a trivial cell, for the
 * kernel's own shell loop and for jjava's 50 ms polling loop, in the same run.
 */
@Command(name = "kernel", description = "Kernel start-to-ready and trivial-cell round trip (targets: 3 s, 50 ms).",
    mixinStandardHelpOptions = true)
final class KernelBenchCommand implements Callable<Integer> {

  static final double READY_TARGET_SECONDS = 3.0;
  static final double CELL_TARGET_SECONDS = 0.050;

  @Option(names = "--starts", defaultValue = "3", description = "Kernel starts per variant (default: ${DEFAULT-VALUE}).")
  int starts;

  @Option(names = "--cells", defaultValue = "30", description = "Timed trivial cells per variant (default: ${DEFAULT-VALUE}).")
  int cells;

  @Override
  public Integer call() throws Exception {
    if (starts < 1 || cells < 1) {
      throw new IllegalArgumentException("--starts and --cells must be at least 1");
    }
    if (!Jupyter.hasJupyterClient()) {
      System.err.println("The benchmark drives the kernel with Debian's jupyter_client. Install it with:");
      System.err.println("  " + Jupyter.installHint());
      return 2;
    }
    Path tmp = Files.createTempDirectory("tuninglab-bench");
    Path script = tmp.resolve("kernel_bench.py");
    try (InputStream in = KernelBenchCommand.class.getResourceAsStream("kernel_bench.py")) {
      Files.copy(in, script);
    }
    List<Path> classpath = KernelClasspath.ofThisJvm();
    KernelSpec.forThisJvm("bench-fast", classpath, Map.of()).installInto(tmp.resolve("kernels"));
    KernelSpec.forThisJvm("bench-polling", classpath, Map.of("TUNINGLAB_KERNEL_SHELL_LOOP", "polling"))
        .installInto(tmp.resolve("kernels"));
    System.out.printf(Locale.ROOT, "%-30s %11s %11s %11s %11s %11s%n",
        "kernel shell loop", "ready", "1st cell", "cell", "cell p90", "kernel_info");
    System.out.println("(medians; ready = kernel_info answered; cell = execute \"1\" to idle)");
    boolean met = true;
    for (String variant : List.of("bench-polling", "bench-fast")) {
      JsonNode result = measure(script, tmp, variant);
      double ready = median(result.get("ready"));
      double cell = median(result.get("trivial"));
      System.out.printf(Locale.ROOT, "%-30s %9.2f s %9.2f s %8.1f ms %8.1f ms %8.1f ms%n",
          variant.equals("bench-fast") ? "blocking poll (this kernel)" : "jjava 50 ms polling loop",
          ready, median(result.get("first")), cell * 1000, percentile(result.get("trivial"), 0.9) * 1000,
          median(result.get("info")) * 1000);
      if (variant.equals("bench-fast")) {
        met = ready <= READY_TARGET_SECONDS && cell <= CELL_TARGET_SECONDS;
      }
    }
    System.out.printf(Locale.ROOT, "targets: ready <= %.0f s, trivial cell <= %.0f ms: %s%n",
        READY_TARGET_SECONDS, CELL_TARGET_SECONDS * 1000, met ? "met" : "NOT met");
    return 0;
  }

  private JsonNode measure(Path script, Path jupyterPath, String kernel) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Jupyter.PYTHON.toString(), script.toString(), kernel,
        Integer.toString(starts), Integer.toString(cells)).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(Jupyter.privateEnvironment(jupyterPath));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("kernel_bench.py failed for " + kernel + ": " + out);
    }
    return new ObjectMapper().readTree(out);
  }

  static double median(JsonNode values) {
    return percentile(values, 0.5);
  }

  static double percentile(JsonNode values, double q) {
    List<Double> sorted = new ArrayList<>();
    values.forEach(v -> sorted.add(v.asDouble()));
    sorted.sort(null);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }
}
