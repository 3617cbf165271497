package org.tuninglab.kernel.magic;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.tuninglab.kernel.TuningLabKernel;

/**
 * {@code %time CODE} and {@code %%time}: runs the code, prints its wall and CPU time, and
 * returns its value. The line form rejoins its words with single spaces.
 */
public final class TimeMagic implements LineMagic<Object, TuningLabKernel>, CellMagic<Object, TuningLabKernel> {

  @Override
  public Object eval(TuningLabKernel kernel, List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("%time needs code to time, e.g. %time Thread.sleep(100)");
    }
    return timed(kernel, String.join(" ", args));
  }

  @Override
  public Object eval(TuningLabKernel kernel, List<String> args, String body) throws Exception {
    return timed(kernel, body);
  }

  private static Object timed(TuningLabKernel kernel, String code) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    try {
      return kernel.evalRaw(code);
    } finally {
      long wall = System.nanoTime() - start;
      long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
      System.out.println("Wall time: " + format(wall) + ", CPU time (this thread): " + format(cpu));
    }
  }

  static String format(long nanos) {
    if (nanos < 1_000_000L) {
      return String.format(java.util.Locale.ROOT, "%.0f µs", nanos / 1e3);
    }
    if (nanos < 10_000_000_000L) {
      return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
