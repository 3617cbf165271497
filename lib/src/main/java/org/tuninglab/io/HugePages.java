package org.tuninglab.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Transparent huge pages for libtorch's CPU buffers. libtorch frees and reallocates its large
 * buffers every training step and glibc hands them back to the kernel, so each step faults them in
 * again in 4 KiB pages; with {@link #GLIBC_TUNABLES} glibc (2.35 and later) advises the kernel to
 * back its mappings with 2 MiB pages instead. The launcher, the kernelspec and the tests set it;
 * {@code ./tuninglab bench hugepages} measures what it changes (docs/model.md).
 */
public final class HugePages {
  /** The value of the environment variable {@code GLIBC_TUNABLES} that turns it on. */
  public static final String GLIBC_TUNABLES = "glibc.malloc.hugetlb=1";

  private static final Path KERNEL_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  private HugePages() {}

  /**
   * The kernel's mode, e.g. {@code always [madvise] never} (the bracketed one is in force): the
   * tunable needs {@code madvise} or {@code always}.
   */
  public static String kernelMode() {
    try {
      return Files.readString(KERNEL_MODE).strip();
    } catch (IOException e) {
      return "unknown (" + KERNEL_MODE + " unreadable)";
    }
  }
}
