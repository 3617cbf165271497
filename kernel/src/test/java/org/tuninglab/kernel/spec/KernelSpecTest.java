package org.tuninglab.kernel.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {

  @Test
  void writesKernelJsonWithMessageInterruptsAndTheClasspath(@TempDir Path dir) throws Exception {
    KernelSpec spec = KernelSpec.forThisJvm("tuninglab-java", List.of(Path.of("/opt/a.jar"), Path.of("/opt/b.jar")),
        Map.of("JJAVA_LOAD_EXTENSIONS", "1"));
    Path written = spec.installInto(dir.resolve("kernels"));
    assertEquals(dir.resolve("kernels/tuninglab-java"), written);
    JsonObject json = JsonParser.parseString(Files.readString(written.resolve("kernel.json"))).getAsJsonObject();
    assertEquals("message", json.get("interrupt_mode").getAsString());
    assertEquals("Java (Tuning Lab)", json.get("display_name").getAsString());
    assertEquals("java", json.get("language").getAsString());
    var argv = json.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
    assertEquals("{connection_file}", argv.get(argv.size() - 1));
    assertEquals(KernelSpec.MAIN_CLASS, argv.get(argv.size() - 2));
    assertEquals("/opt/a.jar:/opt/b.jar", argv.get(argv.indexOf("-cp") + 1));
    assertTrue(argv.contains("-Djava.awt.headless=true"));
    assertEquals("1", json.getAsJsonObject("env").get("JJAVA_LOAD_EXTENSIONS").getAsString());
    assertEquals("AVX512", json.getAsJsonObject("env").get("MKL_ENABLE_INSTRUCTIONS").getAsString());
    assertEquals("glibc.malloc.hugetlb=1", json.getAsJsonObject("env").get("GLIBC_TUNABLES").getAsString());
  }

  @Test
  void theGuardStartsTheKernelOrNamesTheFileAMovedCheckoutLeftMissing(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("kernel.jar"));
    KernelSpec ok = new KernelSpec("tuninglab-java", "Java (Tuning Lab)", Path.of("/bin/echo"), List.of("-Dx=1"),
        List.of(jar), Map.of(), KernelSpec.MAIN_CLASS);
    Process started = start(ok.argv(), dir.resolve("conn.json"));
    assertEquals(0, started.waitFor());
    assertEquals("-Dx=1 -cp " + jar + " " + KernelSpec.MAIN_CLASS + " " + dir.resolve("conn.json"),
        new String(started.getInputStream().readAllBytes()).strip());

    KernelSpec moved = new KernelSpec(KernelSpec.GPU_NAME, KernelSpec.GPU_DISPLAY_NAME, Path.of("/bin/echo"), List.of(),
        List.of(jar, dir.resolve("gone/lib.jar")), Map.of(), KernelSpec.MAIN_CLASS);
    Process failed = start(moved.argv(), dir.resolve("conn.json"));
    assertEquals(1, failed.waitFor());
    String err = new String(failed.getErrorStream().readAllBytes()).strip();
    assertEquals("Tuning Lab kernel 'tuninglab-java-gpu': " + dir.resolve("gone/lib.jar") + " is missing: the checkout"
        + " was moved, rebuilt elsewhere or deleted since this kernelspec was installed. Run"
        + " ./tuninglab kernel install --user --gpu again from the checkout.", err);

    Path written = moved.installInto(dir.resolve("kernels"));
    List<InstalledKernel> found = InstalledKernel.find(List.of(dir.resolve("kernels")));
    assertEquals(1, found.size());
    assertEquals(written, found.get(0).dir());
    assertEquals(List.of(dir.resolve("gone/lib.jar")), found.get(0).missing());
  }

  // Runs argv as Jupyter would, with the connection file substituted.
  private static Process start(List<String> argv, Path connection) throws Exception {
    return new ProcessBuilder(argv.stream().map(a -> a.replace("{connection_file}", connection.toString())).toList()).start();
  }

  @Test
  void rejectsNamesJupyterWouldNot() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KernelSpec.forThisJvm("my kernel", List.of(Path.of("a.jar")), Map.of()));
    assertTrue(e.getMessage().contains("not valid"));
  }

  @Test
  void needsAClasspath() {
    assertThrows(IllegalArgumentException.class, () -> KernelSpec.forThisJvm("k", List.of(), Map.of()));
  }

  @Test
  void locatesUserAndPrefixFolders() {
    assertEquals(Path.of("/data/kernels"), KernelLocation.user(Map.of("JUPYTER_DATA_DIR", "/data")));
    assertEquals(Path.of("/x/jupyter/kernels"), KernelLocation.user(Map.of("XDG_DATA_HOME", "/x")));
    assertEquals(Path.of("/p/share/jupyter/kernels"), KernelLocation.prefix(Path.of("/p")));
    assertEquals(List.of(Path.of("/data/kernels"), Path.of("/a/kernels"), Path.of("/b/kernels"),
            Path.of("/usr/local/share/jupyter/kernels"), Path.of("/usr/share/jupyter/kernels")),
        KernelLocation.searchPath(Map.of("JUPYTER_DATA_DIR", "/data", "JUPYTER_PATH", "/a:/b")));
  }
}
