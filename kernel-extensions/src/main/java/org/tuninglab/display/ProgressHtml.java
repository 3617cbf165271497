package org.tuninglab.display;

import java.util.List;
import java.util.Locale;

/** Renders a {@link ProgressSnapshot}: an HTML bar with figures and a loss sparkline, or one text line. */
public final class ProgressHtml {

  static final int CHART_WIDTH = 240;
  static final int CHART_HEIGHT = 48;

  private ProgressHtml() {}

  public static String html(ProgressSnapshot s) {
    StringBuilder html = new StringBuilder("<div class=\"tuninglab-progress\" style=\"font-family:monospace\">");
    html.append("<div><b>").append(TableHtml.escape(s.title())).append("</b>")
        .append(s.finished() ? " &mdash; done" : "").append("</div>");
    html.append("<progress value=\"").append(s.step()).append("\" max=\"").append(s.totalSteps())
        .append("\" style=\"width:").append(CHART_WIDTH).append("px\"></progress> ");
    html.append(TableHtml.escape(figures(s)));
    if (s.losses().size() >= 2) {
      html.append("<div>").append(sparkline(s.losses())).append("</div>");
    }
    return html.append("</div>").toString();
  }

  public static String text(ProgressSnapshot s) {
    return s.title() + ": " + figures(s) + (s.finished() ? " (done)" : "");
  }

  static String figures(ProgressSnapshot s) {
    return String.format(Locale.ROOT, "step %d/%d (%.0f%%) · loss %s · %s · ETA %s",
        s.step(), s.totalSteps(), 100 * s.fraction(),
        Double.isNaN(s.loss()) ? "-" : String.format(Locale.ROOT, "%.4f", s.loss()),
        Double.isNaN(s.stepsPerSecond()) ? "- steps/s" : String.format(Locale.ROOT, "%.2f steps/s", s.stepsPerSecond()),
        duration(s.etaSeconds()));
  }

  static String duration(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return "-";
    }
    long total = Math.round(seconds);
    long h = total / 3600;
    long m = (total % 3600) / 60;
    long sec = total % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }

  /** An inline SVG polyline of the losses, scaled to the box; non-finite losses are skipped. */
  static String sparkline(List<Double> losses) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : losses) {
      if (Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    StringBuilder points = new StringBuilder();
    if (min <= max) {
      double span = max > min ? max - min : 1;
      double dx = (double) CHART_WIDTH / Math.max(1, losses.size() - 1);
      for (int i = 0; i < losses.size(); i++) {
        double v = losses.get(i);
        if (!Double.isFinite(v)) {
          continue;
        }
        double y = CHART_HEIGHT - 2 - (v - min) / span * (CHART_HEIGHT - 4);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", i * dx, y));
      }
    }
    return "<svg width=\"" + CHART_WIDTH + "\" height=\"" + CHART_HEIGHT + "\" viewBox=\"0 0 " + CHART_WIDTH + " "
        + CHART_HEIGHT + "\"><polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\""
        + points.toString().trim() + "\"/></svg>";
  }
}
