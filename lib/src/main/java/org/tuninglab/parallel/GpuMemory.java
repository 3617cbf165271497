package org.tuninglab.parallel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A GPU's memory: a named preset or any size.
 *
 * <p>Presets carry the vendor's nominal capacity in GiB (an A100-40GB is 40 GiB); what a process
 * can allocate is that minus the CUDA context (a few hundred MiB), which the planner does not
 * subtract.
 *
 * @param name the preset's name, or the size as given
 * @param bytes the capacity
 */
public record GpuMemory(String name, long bytes) {
  private static final long GIB = 1L << 30;

  /** The presets by name, smallest first. */
  public static final Map<String, GpuMemory> PRESETS = presets();

  public GpuMemory {
    if (bytes <= 0) {
      throw new IllegalArgumentException("GPU memory must be positive, got " + bytes + " bytes");
    }
  }

  private static Map<String, GpuMemory> presets() {
    Map<String, GpuMemory> p = new LinkedHashMap<>();
    Object[][] table = {
      {"v100-16gb", 16}, {"v100-32gb", 32}, {"a100-40gb", 40}, {"l40s", 48},
      {"a100-80gb", 80}, {"h100-80gb", 80}, {"h200-141gb", 141}
    };
    for (Object[] row : table) {
      p.put((String) row[0], new GpuMemory((String) row[0], (Integer) row[1] * GIB));
    }
    return Collections.unmodifiableMap(p);
  }

  /**
   * A preset by name (case-insensitive), or a size: a number of GiB ({@code 24}, {@code 24gb},
   * {@code 24GiB}).
   *
   * @throws IllegalArgumentException naming the presets when {@code text} is neither
   */
  public static GpuMemory parse(String text) {
    String key = text.trim().toLowerCase(Locale.ROOT);
    GpuMemory preset = PRESETS.get(key);
    if (preset != null) {
      return preset;
    }
    String number = key.replaceFirst("(gib|gb|g)$", "");
    try {
      double gib = Double.parseDouble(number);
      if (gib > 0 && Double.isFinite(gib)) {
        return new GpuMemory(text.trim(), (long) (gib * GIB));
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        "--gpu must be one of " + String.join(", ", PRESETS.keySet())
            + " or a positive size in GiB (e.g. 24 or 24gb), got '" + text + "'");
  }
}
