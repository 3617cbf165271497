package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KernelInstallCommandTest {

  @Test
  void installsUnderAPrefixWithTheDefaultName(@TempDir Path prefix) throws Exception {
    int code = TuningLab.commandLine().execute("kernel", "install", "--prefix", prefix.toString());
    assertEquals(0, code);
    String json = Files.readString(prefix.resolve("share/jupyter/kernels/tuninglab-java/kernel.json"));
    assertTrue(json.contains("\"display_name\": \"Java (Tuning Lab)\""), json);
    assertTrue(json.contains("org.tuninglab.kernel.KernelMain"), json);
    assertTrue(json.contains("tuninglab-kernel-extensions") || json.contains("kernel-extensions/target/classes"), json);
  }

  @Test
  void theGpuKernelSelectsCudaAndLeavesTheCpuNativeJarOut(@TempDir Path prefix) throws Exception {
    assertEquals(0, TuningLab.commandLine().execute("kernel", "install", "--prefix", prefix.toString(), "--gpu"));
    var json = com.google.gson.JsonParser.parseString(
        Files.readString(prefix.resolve("share/jupyter/kernels/tuninglab-java-gpu/kernel.json"))).getAsJsonObject();
    assertEquals("Java (Tuning Lab, GPU)", json.get("display_name").getAsString());
    var argv = json.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
    assertEquals(GpuKernel.class.getName(), argv.get(argv.size() - 2));
    String classpath = argv.get(argv.indexOf("-cp") + 1);
    assertTrue(classpath.contains("pytorch-jni") && !classpath.contains("pytorch-native-cpu"), classpath);
    assertEquals(System.getenv().getOrDefault("TUNINGLAB_TORCH", "cuda").replace("cpu", "cuda"),
        json.getAsJsonObject("env").get("TUNINGLAB_TORCH").getAsString());
    assertEquals("cpu", json.getAsJsonObject("env").get("RUST_FLAVOR").getAsString());
  }

  @Test
  void rejectsAnInvalidName(@TempDir Path prefix) {
    StringWriter err = new StringWriter();
    CommandLine cli = TuningLab.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("kernel", "install", "--prefix", prefix.toString(), "--name", "bad name");
    assertEquals(2, code);
    assertEquals("tuninglab install: Kernel name 'bad name' is not valid: use letters, digits, '.', '_' and '-' only",
        err.toString().strip());
  }

  @Test
  void userAndPrefixExcludeEachOther(@TempDir Path prefix) {
    StringWriter err = new StringWriter();
    CommandLine cli = TuningLab.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertEquals(2, cli.execute("kernel", "install", "--user", "--prefix", prefix.toString()));
    assertTrue(err.toString().contains("mutually exclusive"), err.toString());
  }
}
