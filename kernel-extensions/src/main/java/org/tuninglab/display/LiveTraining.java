package org.tuninglab.display;

import org.tuninglab.train.StepReport;
import org.tuninglab.train.TrainingListener;
import org.tuninglab.train.TrainingResult;

/**
 * Shows a training run as one live output that updates in place: step, loss, rate, ETA and a loss
 * sparkline. Pass it to the trainer or a recipe as a listener from a notebook cell.
 */
public final class LiveTraining implements TrainingListener {
  private final String title;
  private final ProgressView view;
  private LiveProgress progress;

  /** A live view in the current notebook (or text lines outside one). */
  public LiveTraining(String title) {
    this(title, null);
  }

  /** A live view drawn by {@code view}; null picks the notebook or the console. */
  public LiveTraining(String title, ProgressView view) {
    this.title = title;
    this.view = view;
  }

  @Override
  public synchronized void onStep(StepReport report) {
    if (progress == null) {
      progress = view == null
          ? LiveProgress.start(title, report.totalSteps())
          : LiveProgress.start(title, report.totalSteps(), view);
    }
    progress.update(report.step(), report.totalSteps(), report.loss());
  }

  @Override
  public synchronized void onEnd(TrainingResult result) {
    if (progress != null) {
      progress.finish();
    }
  }

  /** The latest state shown, for tests and for cells that want the numbers. */
  public synchronized ProgressSnapshot snapshot() {
    return progress == null ? null : progress.snapshot();
  }
}
