package org.tuninglab.track.slurm;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Whether a Slurm cluster answers from this machine, so a notebook submits only where it can. */
public final class SlurmProbe {

  private SlurmProbe() {}

  /** True when {@code sinfo} runs and reports at least one node state within 10 seconds. */
  public static boolean answers() {
    try {
      Process p = new ProcessBuilder("sinfo", "-h", "-o", "%T").redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return p.exitValue() == 0 && !out.isBlank();
    } catch (IOException e) {
      return false; // no sinfo on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
