package org.tuninglab.display;

import java.util.function.BiConsumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * A live view of long work, such as a training loop: step, loss, rate, ETA and a small loss
 * chart. In a notebook it is one output updated in place; elsewhere it prints text lines.
 * Updates are throttled so that a fast loop does not flood the notebook.
 *
 * <pre>{@code
 * LiveProgress progress = LiveProgress.start("LoRA SFT", 200);
 * for (int step = 1; step <= 200; step++) { ...; progress.update(step, 200, loss); }
 * progress.finish();
 * }</pre>
 */
public final class LiveProgress {

  /** The least time between two shown updates; the last update always shows on {@link #finish()}. */
  public static final long MIN_INTERVAL_NANOS = 200_000_000L;

  private final ProgressState state;
  private final ProgressView view;
  private final LongSupplier nanoClock;
  private long lastShown = Long.MIN_VALUE;
  private boolean finished;

  LiveProgress(String title, long totalSteps, ProgressView view, LongSupplier nanoClock) {
    this.state = new ProgressState(title, totalSteps, nanoClock);
    this.view = view;
    this.nanoClock = nanoClock;
    show(false);
  }

  /** Starts a view in the running notebook, or on standard output when there is none. */
  public static LiveProgress start(String title, long totalSteps) {
    return new LiveProgress(title, totalSteps, defaultView(), System::nanoTime);
  }

  /** Starts a view that shows itself through {@code view}. */
  public static LiveProgress start(String title, long totalSteps, ProgressView view) {
    return new LiveProgress(title, totalSteps, view, System::nanoTime);
  }

  /**
   * A view for code that reports {@code (done, total)} rather than driving a view, such as {@code
   * org.tuninglab.lesson.Progress} counters: it starts at the first report and finishes when done
   * reaches the total.
   *
   * @param title what is counted, e.g. {@code "few-shot: 0-shot and 3-shot"}
   * @return the counter
   */
  public static BiConsumer<Integer, Integer> counter(String title) {
    return counter(title, total -> start(title, total));
  }

  static BiConsumer<Integer, Integer> counter(String title, LongFunction<LiveProgress> starter) {
    LiveProgress[] view = {null};
    return (done, total) -> {
      if (view[0] == null) {
        view[0] = starter.apply(total);
      }
      view[0].update(done, total, Double.NaN);
      if (done >= total) {
        view[0].finish();
      }
    };
  }

  private static ProgressView defaultView() {
    try {
      return new NotebookProgressView(BaseKernel.notebookKernel());
    } catch (NullPointerException noKernel) {
      // notebookKernel() rejects the call with an NPE when no kernel is running.
      return new ConsoleProgressView(System.out);
    }
  }

  /** Records step {@code step} of {@code totalSteps} with its loss; shows it unless one was shown just now. */
  public synchronized void update(long step, long totalSteps, double loss) {
    if (finished) {
      throw new IllegalStateException("update() after finish()");
    }
    state.record(step, totalSteps, loss);
    if (nanoClock.getAsLong() - lastShown >= MIN_INTERVAL_NANOS || step >= totalSteps) {
      show(false);
    }
  }

  /** Shows the final state. */
  public synchronized void finish() {
    if (!finished) {
      finished = true;
      show(true);
    }
  }

  /** What the view shows now. */
  public synchronized ProgressSnapshot snapshot() {
    return state.snapshot(finished);
  }

  private void show(boolean done) {
    lastShown = nanoClock.getAsLong();
    view.show(state.snapshot(done));
  }
}
