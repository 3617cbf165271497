package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/gpu-check.sh --dry-run end to end on the CPU, with this build's class path and Java. */
class GpuCheckScriptTest {

  @TempDir Path tmp;

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void theDryRunMeasuresEveryPartOnTinyShapes() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/gpu-check.sh").toString(), "--dry-run",
        "--out", tmp.toString()).redirectErrorStream(true);
    pb.environment().put("GPU_CHECK_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("GPU_CHECK_CLASSPATH",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    pb.environment().remove("TUNINGLAB_TORCH");
    // Debian's python3 has the torch .ci/run installs; a python3 earlier on PATH may not.
    boolean torch = hasTorch(DEBIAN_PYTHON);
    if (torch) {
      pb.environment().put("GPU_CHECK_PYTHON", DEBIAN_PYTHON);
    }
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), log);
    assertEquals(0, p.exitValue(), log);

    List<String> results = Files.readAllLines(tmp.resolve("results.jsonl"));
    for (String method : List.of("lora", "qlora")) {
      assertTrue(results.stream().anyMatch(l -> l.startsWith("{\"side\": \"java\", \"method\": \"" + method
          + "\", \"precision\": \"fp32\", \"device\": \"cpu()\"") && l.contains("\"tokens_per_s\": ")), results.toString());
      assertTrue(results.stream().anyMatch(l -> l.contains("\"side\": \"python\"") && l.contains("\"method\": \"" + method + "\"")
          && (!torch || l.contains("\"tokens_per_s\": "))), results.toString());
    }
    assertTrue(results.stream().anyMatch(l -> l.contains("\"check\": \"tiny-preset\", \"precision\": \"fp32\", \"steps\": 2")),
        results.toString());
    String summary = Files.readString(tmp.resolve("summary.txt"));
    assertTrue(summary.contains("tiny preset, training loss at the last step: fp32 "), summary);
    assertTrue(summary.matches("(?s).*generation \\(KV cache, greedy, fp32, cpu\\(\\)\\): [0-9.]+ tokens/s \\(java\\).*"), summary);
    if (torch) {
      assertTrue(summary.matches("(?s).*generation \\(KV cache, greedy, fp32, cpu\\): [0-9.]+ tokens/s \\(python\\).*"), summary);
    }
  }

  private static final String DEBIAN_PYTHON = "/usr/bin/python3";

  private static boolean hasTorch(String python) throws Exception {
    if (!Files.isExecutable(Path.of(python))) {
      return false;
    }
    Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
