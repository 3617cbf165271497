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
  }
}
