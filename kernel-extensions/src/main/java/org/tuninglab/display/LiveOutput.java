package org.tuninglab.display;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** One notebook output that each later {@link #show} replaces in place (a display id). */
final class LiveOutput {

  private final BaseKernel kernel;
  private String displayId;

  LiveOutput(BaseKernel kernel) {
    this.kernel = kernel;
  }

  /** Shows {@code data}: the first time as a new output, afterwards in its place. */
  void show(DisplayData data) {
    if (displayId == null) {
      displayId = java.util.UUID.randomUUID().toString();
      data.setDisplayId(displayId);
      kernel.display(data);
    } else {
      kernel.getIO().display.updateDisplay(displayId, data);
    }
  }
}
