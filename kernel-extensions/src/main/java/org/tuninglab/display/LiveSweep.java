package org.tuninglab.display;

import java.util.function.Consumer;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.TrialInfo;
import org.tuninglab.train.StepReport;
import org.tuninglab.train.TrainingListener;
import org.tuninglab.lesson.SweepReport;
import tech.tablesaw.api.Table;

/**
 * A sweep running in a notebook, shown live: one progress bar over every trial's steps (a trial
 * stopped early skips the rest of its share) and the table of trials so far, redrawn in place as
 * each trial ends. Give it to the trial function as a training listener and to the worker as its
 * trial-end callback:
 *
 * <pre>{@code
 * var live = new LiveSweep(sweep, 12);
 * Worker.builder().setSweep(sweep).setFunction(new SftTrial(List.of(live))).optOnTrialEnd(live).build().run();
 * }</pre>
 */
public final class LiveSweep implements TrainingListener, Consumer<TrialInfo> {

  private final Sweep sweep;
  private final int stepsPerTrial;
  private final ProgressView progressView;
  private final Consumer<Table> tableView;
  private LiveProgress progress;
  private int ended;

  /**
   * A live view in the running notebook (text lines outside one).
   *
   * @param sweep the sweep
   * @param stepsPerTrial the steps of a trial that runs to the end (the spec's {@code max_steps})
   */
  public LiveSweep(Sweep sweep, int stepsPerTrial) {
    this(sweep, stepsPerTrial, null, notebookOrConsole());
  }

  /** A view drawn by {@code progressView} (null: the notebook's or the console's) and {@code tableView}. */
  LiveSweep(Sweep sweep, int stepsPerTrial, ProgressView progressView, Consumer<Table> tableView) {
    this.sweep = sweep;
    this.stepsPerTrial = stepsPerTrial;
    this.progressView = progressView;
    this.tableView = tableView;
  }

  private long totalSteps() {
    return (long) sweep.spec().runCap() * stepsPerTrial;
  }

  @Override
  public synchronized void onStep(StepReport report) {
    if (progress == null) {
      String title = "Sweep " + sweep.name() + ": " + sweep.spec().runCap() + " trials of up to " + stepsPerTrial + " steps";
      progress = progressView == null ? LiveProgress.start(title, totalSteps()) : LiveProgress.start(title, totalSteps(), progressView);
    }
    progress.update(Math.min(totalSteps(), (long) ended * stepsPerTrial + report.step()), totalSteps(), report.loss());
  }

  /** A trial ended: the bar moves on to the next trial's share and the table is redrawn. */
  @Override
  public synchronized void accept(TrialInfo trial) {
    ended++;
    tableView.accept(SweepReport.trials(sweep));
    if (ended >= sweep.spec().runCap() && progress != null) {
      progress.update(totalSteps(), totalSteps(), Double.NaN);
      progress.finish();
    }
  }

  // One table output replaced in place in a notebook; printed tables elsewhere.
  private static Consumer<Table> notebookOrConsole() {
    BaseKernel kernel;
    try {
      kernel = BaseKernel.notebookKernel();
    } catch (NullPointerException noKernel) {
      // notebookKernel() rejects the call with an NPE when no kernel is running
      return table -> System.out.println(TableText.render(table, TableHtml.DEFAULT_MAX_ROWS));
    }
    LiveOutput output = new LiveOutput(kernel);
    return table -> {
      DisplayData data = new DisplayData(TableText.render(table, TableHtml.DEFAULT_MAX_ROWS));
      data.putHTML(TableHtml.render(table));
      output.show(data);
    };
  }
}
