package org.tuninglab.display;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.tuninglab.preference.CurvePoint;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.StepReport;
import org.tuninglab.train.TrainingListener;
import org.tuninglab.train.TrainingResult;

/**
 * A training run's named curves as one live output that updates in place: the step, and for each
 * metric its latest value and a sparkline. The names are those the objective reports (a preference
 * run's TRL names: {@code rewards/margins}, ...), {@code loss}, and for the holdout the same names
 * prefixed {@code eval_} ({@code eval_loss}, {@code eval_rewards/accuracies}). Every metric seen is
 * kept ({@link #curves()}), for a diagnosis after the run; the chosen ones are drawn.
 */
public final class LiveCurves implements TrainingListener {
  private final String title;
  private final List<String> shown;
  private final LiveOutput output; // null outside a notebook
  private final Map<String, List<CurvePoint>> curves = new LinkedHashMap<>();
  private long step;
  private long totalSteps;
  private long lastShown;
  private boolean finished;

  /**
   * A live view in the current notebook (outside one, the curves are kept but not drawn).
   *
   * @param title what is training
   * @param shown the metrics to draw, in order
   */
  public LiveCurves(String title, String... shown) {
    this.title = title;
    this.shown = List.of(shown);
    this.output = notebook();
  }

  @Override
  public synchronized void onStep(StepReport r) {
    step = r.step();
    totalSteps = r.totalSteps();
    add("loss", r.step(), r.loss());
    r.metrics().forEach((name, value) -> add(name, r.step(), value));
    if (System.nanoTime() - lastShown >= LiveProgress.MIN_INTERVAL_NANOS) {
      show();
    }
  }

  @Override
  public synchronized void onEvaluation(EvalReport r) {
    add("eval_loss", r.step(), r.loss());
    r.metrics().forEach((name, value) -> add(name, r.step(), value));
    show();
  }

  @Override
  public synchronized void onEnd(TrainingResult result) {
    finished = true;
    show();
  }

  /** Every metric seen, by name, as (step, value) points: what a diagnosis reads. */
  public synchronized Map<String, List<CurvePoint>> curves() {
    Map<String, List<CurvePoint>> copy = new LinkedHashMap<>();
    curves.forEach((name, points) -> copy.put(name, List.copyOf(points)));
    return copy;
  }

  private void add(String name, long at, double value) {
    curves.computeIfAbsent(name, k -> new ArrayList<>()).add(new CurvePoint(at, value));
  }

  private void show() {
    lastShown = System.nanoTime();
    if (output != null) {
      DisplayData data = new DisplayData(text());
      data.putHTML(html());
      output.show(data);
    }
  }

  private String text() {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: step %d/%d%s", title, step,
        totalSteps, finished ? " (done)" : ""));
    for (String name : shown) {
      List<CurvePoint> points = curves.get(name);
      if (points != null) {
        s.append(String.format(Locale.ROOT, " · %s %.4g", name, points.get(points.size() - 1).value()));
      }
    }
    return s.toString();
  }

  private String html() {
    StringBuilder html = new StringBuilder("<div class=\"tuninglab-progress\" style=\"font-family:monospace\">");
    html.append("<div><b>").append(TableHtml.escape(title)).append("</b> ")
        .append(String.format(Locale.ROOT, "step %d/%d", step, totalSteps))
        .append(finished ? " &mdash; done" : "").append("</div><table>");
    for (String name : shown) {
      List<CurvePoint> points = curves.get(name);
      if (points == null) {
        continue;
      }
      List<Double> values = points.stream().map(CurvePoint::value).toList();
      html.append("<tr><td>").append(TableHtml.escape(name)).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.4g", values.get(values.size() - 1)))
          .append("</td><td>")
          .append(values.size() >= 2 ? ProgressHtml.sparkline(values) : "")
          .append("</td></tr>");
    }
    return html.append("</table></div>").toString();
  }

  private static LiveOutput notebook() {
    try {
      return new LiveOutput(BaseKernel.notebookKernel());
    } catch (NullPointerException noKernel) {
      // notebookKernel() rejects the call with an NPE when no kernel is running.
      return null;
    }
  }
}
