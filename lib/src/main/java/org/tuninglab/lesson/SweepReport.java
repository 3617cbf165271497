package org.tuninglab.lesson;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tuninglab.track.MetricPoint;
import org.tuninglab.track.sweep.ParamSpec;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.TrialInfo;
import org.tuninglab.track.sweep.TrialState;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A sweep read back for the notebook: its trials as a table, and the conclusion the run's own
 * numbers support, as Markdown (best trial, what early stopping saved, which hyperparameter the
 * metric followed most closely at the first evaluation, where every trial was measured).
 */
public final class SweepReport {

  private SweepReport() {}

  /** One row per trial: its number, the parameters the sweep varies, its state, metric and steps trained. */
  public static Table trials(Sweep sweep) {
    List<String> varied = varied(sweep);
    List<TrialInfo> trials = sweep.trials();
    Table t = Table.create(sweep.name() + ": " + trials.size() + " of " + sweep.spec().runCap() + " trials");
    t.addColumns(IntColumn.create("trial", trials.stream().mapToInt(TrialInfo::number).toArray()));
    for (String p : varied) {
      t.addColumns(DoubleColumn.create(p, trials.stream().mapToDouble(i -> number(i.params().get(p))).toArray()));
    }
    t.addColumns(StringColumn.create("state", trials.stream().map(i -> i.state().name().toLowerCase(Locale.ROOT)).toList()));
    t.addColumns(DoubleColumn.create(sweep.spec().metric(),
        trials.stream().mapToDouble(i -> i.value() == null ? Double.NaN : i.value()).toArray()));
    t.addColumns(IntColumn.create("steps", trials.stream().mapToInt(i -> steps(sweep, i)).toArray()));
    return t;
  }

  /** What this sweep's numbers say, in a few sentences. */
  public static Markdown conclusion(Sweep sweep) {
    String metric = sweep.spec().metric();
    List<TrialInfo> trials = sweep.trials();
    List<TrialInfo> finished = trials.stream()
        .filter(t -> t.state() == TrialState.FINISHED && t.value() != null).toList();
    long pruned = trials.stream().filter(t -> t.state() == TrialState.PRUNED).count();
    long failed = trials.stream().filter(t -> t.state() == TrialState.FAILED).count();
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "**%d trials**: %d finished, %d stopped early by ASHA%s.",
        trials.size(), finished.size(), pruned, failed == 0 ? "" : ", " + failed + " failed"));
    if (finished.isEmpty()) {
      return new Markdown(md.append(" No trial finished, so there is no best one to report.").toString());
    }
    Comparator<TrialInfo> byGoal = Comparator.comparingDouble(t -> sweep.spec().goal().asLoss(t.value()));
    TrialInfo best = finished.stream().min(byGoal).orElseThrow();
    TrialInfo worst = finished.stream().max(byGoal).orElseThrow();
    List<String> varied = varied(sweep);
    md.append(String.format(Locale.ROOT, " The best is trial %d (%s) with %s %s", best.number(),
        params(best, varied), metric, num(best.value())));
    if (worst != best) {
      md.append(String.format(Locale.ROOT, "; the worst finished one (trial %d, %s) reached %s, %s.",
          worst.number(), params(worst, varied), num(worst.value()), relative(worst.value(), best.value())));
    } else {
      md.append('.');
    }
    if (sweep.spec().parameters().get("max_steps") instanceof ParamSpec.Constant c && c.value() instanceof Number n) {
      long budget = (long) n.intValue() * trials.size();
      long ran = trials.stream().mapToLong(t -> steps(sweep, t)).sum();
      md.append(String.format(Locale.ROOT, "\n\nEarly stopping trained %d of the %d steps that %d full trials take (%.0f%% saved)",
          ran, budget, trials.size(), 100.0 * (budget - ran) / budget));
      md.append(pruned == 0 ? ": ASHA stopped no trial this time, since none fell behind at a rung." : ".");
    }
    md.append("\n\n").append(correlations(sweep, trials, varied));
    return new Markdown(md.toString());
  }

  // Spearman's rank correlation of each varied parameter with the metric at the first evaluation:
  // every trial reached it (early stopping judges there), so all of them are compared fairly.
  private static String correlations(Sweep sweep, List<TrialInfo> trials, List<String> varied) {
    String metric = sweep.spec().metric();
    List<TrialInfo> measured = new ArrayList<>();
    List<Double> first = new ArrayList<>();
    long step = 0;
    for (TrialInfo t : trials) {
      var history = sweep.store().findRun(t.runId()).map(r -> r.history(metric)).orElse(List.of());
      if (!history.isEmpty() && Double.isFinite(history.get(0).value())) {
        measured.add(t);
        first.add(history.get(0).value());
        step = Math.max(step, history.get(0).step());
      }
    }
    if (measured.size() < 3 || varied.isEmpty()) {
      return "With " + measured.size() + " trial(s) evaluated there are too few to tell which parameter mattered.";
    }
    double[] y = first.stream().mapToDouble(v -> sweep.spec().goal().asLoss(v)).toArray();
    String strongest = null;
    double strongestRho = 0;
    List<String> parts = new ArrayList<>();
    for (String p : varied) {
      double rho = spearman(measured.stream().mapToDouble(t -> number(t.params().get(p))).toArray(), y);
      if (Double.isNaN(rho)) {
        continue;
      }
      parts.add(String.format(Locale.ROOT, "%s ρ = %.2f", p, rho));
      if (strongest == null || Math.abs(rho) > Math.abs(strongestRho)) {
        strongest = p;
        strongestRho = rho;
      }
    }
    if (strongest == null) {
      return "No varied parameter took more than one value among the evaluated trials.";
    }
    String head = String.format(Locale.ROOT,
        "Rank correlation of each parameter with %s at the first evaluation (step %d, which all %d trials reached): %s.",
        metric, step, measured.size(), String.join(", ", parts));
    if (Math.abs(strongestRho) >= 0.5) {
      return head + String.format(Locale.ROOT, " In this run %s tracked the loss most closely (a higher %s went with a %s"
          + " loss); with this few trials that is a lead to follow up, not a finding.",
          strongest, strongest, strongestRho < 0 ? "lower" : "higher");
    }
    return head + String.format(Locale.ROOT, " No parameter tracked the loss closely at that point (the strongest, %s,"
        + " has |ρ| = %.2f): with this few trials the differences may be noise, and an effect with a sweet spot (a"
        + " learning rate too low and too high both hurt) has a rank correlation near zero too.", strongest, Math.abs(strongestRho));
  }

  static double spearman(double[] x, double[] y) {
    double[] rx = ranks(x);
    double[] ry = ranks(y);
    double mx = mean(rx);
    double my = mean(ry);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (rx[i] - mx) * (ry[i] - my);
      sxx += (rx[i] - mx) * (rx[i] - mx);
      syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  // Average ranks, so tied values share one.
  private static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        r[order[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return r;
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** The parameters the spec lets vary (not {@code value:} constants), numeric ones only. */
  static List<String> varied(Sweep sweep) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, ParamSpec> e : sweep.spec().parameters().entrySet()) {
      if (e.getValue() instanceof ParamSpec.Numeric
          || (e.getValue() instanceof ParamSpec.Categorical c && c.values().stream().allMatch(v -> v instanceof Number))) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  // The highest step a trial's run logged: the steps it trained (epochs for an objective that logs per epoch).
  private static int steps(Sweep sweep, TrialInfo t) {
    return sweep.store().findRun(t.runId())
        .map(r -> (int) r.metrics().stream().mapToLong(MetricPoint::step).max().orElse(0)).orElse(0);
  }

  private static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String params(TrialInfo t, List<String> names) {
    List<String> parts = new ArrayList<>();
    for (String n : names) {
      parts.add(n + " " + num(number(t.params().get(n))));
    }
    return String.join(", ", parts);
  }

  private static String relative(double worse, double best) {
    return best == 0 ? "" : String.format(Locale.ROOT, "%.0f%% %s than the best", 100 * Math.abs(worse - best) / Math.abs(best),
        worse > best ? "higher" : "lower");
  }

  /** Whole numbers as integers (a rank of 16), others with 4 significant digits. */
  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
  }
}
