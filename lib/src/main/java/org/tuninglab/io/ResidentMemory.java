package org.tuninglab.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak memory on a CPU, measured the one way this project measures it: a run in a JVM of its own
 * ({@link ChildJvm}) reads its resident set ({@code VmRSS}) before the measured work and its peak
 * ({@code VmHWM}) after it, from {@code /proc/self/status}; the difference is what the work held at
 * its highest.
 *
 * <p>{@link #measuringChild} starts such a child with a fixed, pre-touched Java heap, so the heap's
 * growth (weights pass through it as float arrays) is not counted, and, for live bytes, with
 * glibc's {@code MALLOC_MMAP_THRESHOLD_} at {@value #MMAP_THRESHOLD}: every block of 64 KiB or
 * more then gets pages of its own and returns them when freed, so the resident set follows the
 * bytes alive, what a memory planner counts (by default the threshold grows to 32 MiB as large
 * blocks are freed, and freed blocks below it stay resident for reuse, so the peak also counts
 * fragmentation). The child runs without {@code GLIBC_TUNABLES}, so in pages of 4 KiB.
 */
public final class ResidentMemory {
  /** glibc's mmap threshold for live-bytes measurements, in bytes. */
  public static final String MMAP_THRESHOLD = "65536";

  private ResidentMemory() {}

  /** The resident set now, in bytes. */
  public static long current() throws IOException {
    return statusBytes("VmRSS");
  }

  /** The highest resident set this process has had, in bytes. */
  public static long peak() throws IOException {
    return statusBytes("VmHWM");
  }

  /**
   * Runs a measuring child JVM and returns its result line without the prefix.
   *
   * @param what the measurement, for error messages
   * @param heap the child's fixed Java heap ({@code "256m"}), pre-touched
   * @param liveBytes whether large blocks go back to the system when freed (else glibc's defaults)
   * @param main the child's main class
   * @param args its arguments
   * @param prefix what its result line starts with
   * @throws IOException if the child cannot start, fails or prints no result line
   */
  public static String measuringChild(String what, String heap, boolean liveBytes, Class<?> main,
      List<String> args, String prefix) throws IOException {
    return ChildJvm.resultLine(what,
        List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"),
        env -> {
          // Huge pages (the launcher's glibc.malloc.hugetlb) would round what is resident up to
          // 2 MiB pieces; the measurement counts 4 KiB pages.
          env.remove("GLIBC_TUNABLES");
          if (liveBytes) {
            env.put("MALLOC_MMAP_THRESHOLD_", MMAP_THRESHOLD);
          } else {
            env.remove("MALLOC_MMAP_THRESHOLD_");
          }
        },
        main, args, prefix);
  }

  /** A size field of {@code /proc/self/status} (given there in kB), in bytes. */
  private static long statusBytes(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]) * 1024;
      }
    }
    throw new IOException("/proc/self/status has no " + field + " line");
  }
}
