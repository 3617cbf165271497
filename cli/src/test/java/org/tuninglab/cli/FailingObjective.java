package org.tuninglab.cli;

import org.tuninglab.track.sweep.Trial;
import org.tuninglab.track.sweep.TrialFunction;

/** An objective whose every trial fails, as a broken training config would. */
public final class FailingObjective implements TrialFunction {
  @Override
  public void run(Trial trial) {
    throw new IllegalStateException("this objective always fails");
  }
}
