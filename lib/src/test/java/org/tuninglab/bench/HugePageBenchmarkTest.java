package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.io.HugePages;

/** bench hugepages on a tiny shape: each setting's children really ran with (and without) the tunable. */
class HugePageBenchmarkTest {

  @TempDir Path tmp;

  private static final Path TINY_CONFIG =
      Path.of("").toAbsolutePath().getParent().resolve("models/tuninglab-tiny/config.json");

  @Test
  void childrenAlternateAndSeeTheirOwnEnvironment() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HugePageBenchmark.Result r = HugePageBenchmark.run(
        new HugePageBenchmark.Settings(TINY_CONFIG, 1, 16, 2, 1, 2), new PrintStream(out, true, StandardCharsets.UTF_8));
    List<Boolean> order = r.runs().stream().map(HugePageBenchmark.Run::hugePages).toList();
    assertEquals(List.of(false, true, true, false), order);
    for (HugePageBenchmark.Run run : r.runs()) {
      assertEquals(run.hugePages() ? HugePages.GLIBC_TUNABLES : "", run.tunables(), run.toString());
      assertTrue(run.tokensPerSecond() > 0 && run.minorFaultsPerSecond() >= 0, run.toString());
      assertTrue(run.systemShare() >= 0 && run.systemShare() <= 1, run.toString());
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("(GLIBC_TUNABLES=unset)") && printed.contains("(GLIBC_TUNABLES=" + HugePages.GLIBC_TUNABLES + ")"),
        printed);
    assertTrue(printed.matches("(?s).*huge / 4 KiB: [0-9.]+x\\n"), printed);
  }

  @Test
  void readsTheCountersAfterACommandNameWithSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194304 98765 0 12 0 700 300 0 0 20 0 31 0";
    HugePageBenchmark.ProcessCounters c = HugePageBenchmark.ProcessCounters.parse(stat);
    assertEquals(98765, c.minorFaults());
    assertEquals(700, c.userTicks());
    assertEquals(300, c.systemTicks());
  }

  @Test
  void aMissingConfigIsNamedBeforeAnyChildStarts() throws Exception {
    Path missing = tmp.resolve("nope/config.json");
    Exception e = assertThrows(Exception.class, () -> HugePageBenchmark.run(
        new HugePageBenchmark.Settings(missing, 1, 16, 1, 0, 1), new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(Files.notExists(missing));
  }
}
