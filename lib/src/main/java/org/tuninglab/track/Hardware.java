package org.tuninglab.track;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run ran on, beyond its host name: the processor model and the memory, so two
 * runs' speeds can be compared knowing what they had.
 *
 * @param cpuModel the processor's model name ({@code /proc/cpuinfo}'s first {@code model name}),
 *     or the architecture where that file is absent
 * @param memoryBytes physical memory of the machine, or 0 when unknown
 */
public record Hardware(String cpuModel, long memoryBytes) {

  /** This machine's processor and memory (read once: they do not change while it runs). */
  public static Hardware capture() {
    return Captured.VALUE;
  }

  private static final class Captured {
    static final Hardware VALUE = new Hardware(readCpuModel(), readMemoryBytes());
  }

  private static String readCpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name") && line.contains(":")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | SecurityException e) {
      // not Linux, or not readable: the architecture below is what is known
    }
    return System.getProperty("os.arch");
  }

  private static long readMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }
}
