package org.tuninglab.track.sweep;

/**
 * What a sweep optimises: train (or evaluate) with {@code trial.params()}, log the sweep metric
 * through {@code trial.log}, and return early when {@code trial.shouldStop()} says so. The
 * worker ends the trial's run afterwards; an exception fails the trial.
 */
@FunctionalInterface
public interface TrialFunction {

  void run(Trial trial) throws Exception;
}
