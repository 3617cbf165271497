package org.tuninglab.display;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** The arithmetic of a progress view: rate, ETA and a bounded loss history. Not thread-safe. */
final class ProgressState {

  /** The loss chart keeps this many points; older ones are thinned two to one. */
  static final int MAX_POINTS = 200;

  private final String title;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final List<Double> losses = new ArrayList<>();
  private long stride = 1;
  private long seen;
  private long step;
  private long totalSteps;
  private double loss = Double.NaN;

  ProgressState(String title, long totalSteps, LongSupplier nanoClock) {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("totalSteps must be at least 1, got " + totalSteps);
    }
    this.title = title;
    this.totalSteps = totalSteps;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  void record(long step, long totalSteps, double loss) {
    if (step < 0 || totalSteps < 1) {
      throw new IllegalArgumentException("step must be >= 0 and totalSteps >= 1, got " + step + " of " + totalSteps);
    }
    this.step = step;
    this.totalSteps = totalSteps;
    this.loss = loss;
    if (seen++ % stride == 0) {
      losses.add(loss);
      if (losses.size() > MAX_POINTS) {
        thin();
      }
    }
  }

  private void thin() {
    List<Double> kept = new ArrayList<>(losses.size() / 2 + 1);
    for (int i = 0; i < losses.size(); i += 2) {
      kept.add(losses.get(i));
    }
    losses.clear();
    losses.addAll(kept);
    stride *= 2;
  }

  ProgressSnapshot snapshot(boolean finished) {
    double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
    double rate = step > 0 && seconds > 0 ? step / seconds : Double.NaN;
    double eta = Double.isNaN(rate) ? Double.NaN : Math.max(0, totalSteps - step) / rate;
    return new ProgressSnapshot(title, step, totalSteps, loss, rate, finished ? 0 : eta, losses, finished);
  }
}
