package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing libtorch as a user does, in fresh JVMs (DJL loads its engine once per process): the
 * start-up line, the clear errors, {@code doctor}'s fields, and the launcher's class path.
 */
class TorchSelectionTest {

  @TempDir Path tmp;

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void doctorPrintsEveryFieldAndAFolderChoiceLoadsThatLibtorch() throws Exception {
    Path kernels = Files.createDirectories(tmp.resolve("jupyter/kernels/tuninglab-java-gpu"));
    Files.writeString(kernels.resolve("kernel.json"), "{\"argv\": [\"/bin/sh\", \"-c\", \"guard\", \"n\", \"/usr/bin/java\","
        + " \"-cp\", \"" + tmp.resolve("moved/lib.jar") + "\", \"org.tuninglab.cli.GpuKernel\", \"{connection_file}\"],"
        + " \"display_name\": \"Java (Tuning Lab, GPU)\"}");
    Result doctor = java(Map.of("TUNINGLAB_TORCH", "cpu", "HF_HOME", tmp.resolve("hf").toString(),
        "JUPYTER_DATA_DIR", tmp.resolve("jupyter").toString()), "doctor");
    assertEquals(0, doctor.code, doctor.toString());
    for (String field : List.of("java", "os", "djl", "torch choice", "djl cache", "libtorch", "cuda devices", "torch threads",
        "nvidia-smi", "CUDA_VISIBLE_DEVICES", "MKL_ENABLE_INSTRUCTIONS", "OMP_NUM_THREADS", "GLIBC_TUNABLES", "transparent huge pages", "jupyter",
        "kernelspec tuninglab-java-gpu", "hf cache", "slurm job")) {
      assertTrue(doctor.out.lines().anyMatch(l -> l.startsWith(field + ": ")), field + " missing:\n" + doctor.out);
    }
    assertTrue(doctor.out.contains("libtorch: 2.7.1, CPU build, flavor cpu, "), doctor.out);
    assertTrue(doctor.out.contains("OMP_NUM_THREADS: 1\n"), doctor.out);
    assertTrue(doctor.out.contains("BROKEN: [" + tmp.resolve("moved/lib.jar") + "] missing (checkout moved?): run"
        + " ./tuninglab kernel install --user --gpu again"), doctor.out);
    assertTrue(doctor.out.contains("hf cache: " + tmp.resolve("hf/hub") + ", "), doctor.out);

    Matcher dir = Pattern.compile("libtorch: 2\\.7\\.1, CPU build, flavor cpu, (\\S+) ").matcher(doctor.out);
    assertTrue(dir.find(), doctor.out);
    Result folder = java(Map.of("TUNINGLAB_TORCH", dir.group(1)), "generate", "--help");
    assertEquals(0, folder.code, folder.toString());
    assertEquals("tuninglab: libtorch 2.7.1 (CPU build, flavor cpu) from " + dir.group(1) + "; devices: cpu; default cpu()",
        folder.err.lines().findFirst().orElse(""));
  }

  @Test
  void aFolderWithoutLibtorchOrAnUnreachableCudaBuildStopsWithTheFix() throws Exception {
    Result empty = java(Map.of("TUNINGLAB_TORCH", tmp.toString()), "train", "--help");
    assertEquals(3, empty.code, empty.toString());
    assertTrue(empty.err.startsWith("tuninglab: TUNINGLAB_TORCH=" + tmp + ": no libtorch.so there"), empty.err);

    Map<String, String> unreachable = Map.of("TUNINGLAB_TORCH", "cuda", "DJL_OFFLINE", "true", "DJL_CACHE_DIR", tmp.toString(),
        "PATH", "/nonexistent");
    Result cuda = java(unreachable, "sweep", "agent", "--help");
    assertEquals(3, cuda.code, cuda.toString());
    assertTrue(cuda.err.contains("no CUDA libtorch found (tried " + tmp.resolve("pytorch")), cuda.err);
    assertTrue(cuda.err.contains("docs/gpu.md"), cuda.err);
    assertFalse(cuda.err.contains("Usage:"), "no verb runs on the CPU instead");

    // Verbs that run no model work without the CUDA build (a login node's shell may export it).
    Result params = java(unreachable, "params", "--help");
    assertEquals(0, params.code, params.toString());

    // The GPU kernel stops with the same reason in Jupyter's log instead of starting on the CPU.
    Result kernel = javaMain(unreachable, GpuKernel.class.getName(), tmp.resolve("connection.json").toString());
    assertEquals(3, kernel.code, kernel.toString());
    assertTrue(kernel.err.startsWith("Tuning Lab GPU kernel: TUNINGLAB_TORCH=cuda: no CUDA libtorch found"), kernel.err);
  }

  @Test
  void theLauncherLeavesTheCpuNativeJarOutForAnyChoiceButCpu() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("checkout"));
    Files.copy(ROOT.resolve("tuninglab"), root.resolve("tuninglab"));
    Path lib = Files.createDirectories(root.resolve("cli/target/lib"));
    for (String jar : List.of("api-0.36.0.jar", "pytorch-native-cpu-2.7.1-linux-x86_64.jar", "pytorch-jni-2.7.1-0.36.0.jar")) {
      Files.createFile(lib.resolve(jar));
    }
    Path cliJar = Files.createFile(root.resolve("cli/target/tuninglab-cli-0.1.0-SNAPSHOT.jar"));
    Files.setLastModifiedTime(cliJar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    // A `java` that prints what it was given instead of starting.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"TUNINGLAB_TORCH=${TUNINGLAB_TORCH:-} $*\"\n");
    bin.resolve("java").toFile().setExecutable(true);
    String path = bin + ":/usr/bin:/bin";

    String gpu = launcher(root, Map.of("PATH", path), "--gpu", "doctor");
    assertEquals("TUNINGLAB_TORCH=cuda -Xmx8g -Djava.awt.headless=true -cp " + cliJar + ":" + lib.resolve("api-0.36.0.jar")
        + ":" + lib.resolve("pytorch-jni-2.7.1-0.36.0.jar") + " org.tuninglab.cli.TuningLab doctor", gpu);
    String folder = launcher(root, Map.of("PATH", path, "TUNINGLAB_TORCH", "/opt/torch/lib"), "--gpu", "train", "x.yaml");
    assertTrue(folder.startsWith("TUNINGLAB_TORCH=/opt/torch/lib ") && !folder.contains("pytorch-native-cpu")
        && folder.endsWith("TuningLab train x.yaml"), folder);
    String cpu = launcher(root, Map.of("PATH", path), "doctor");
    assertEquals("TUNINGLAB_TORCH= -Xmx8g -Djava.awt.headless=true -cp " + cliJar + ":" + lib + "/* org.tuninglab.cli.TuningLab doctor", cpu);
  }

  private static String launcher(Path root, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("tuninglab").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("TUNINGLAB_TORCH");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    return out;
  }

  private record Result(int code, String out, String err) {}

  private static Result java(Map<String, String> env, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(TuningLab.class.getName()));
    all.addAll(List.of(args));
    return javaMain(env, all.toArray(String[]::new));
  }

  private static Result javaMain(Map<String, String> env, String... mainAndArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
    cmd.addAll(List.of(mainAndArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeAll(List.of("TUNINGLAB_TORCH", "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION"));
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
    return new Result(p.exitValue(), out, err.get());
  }
}
