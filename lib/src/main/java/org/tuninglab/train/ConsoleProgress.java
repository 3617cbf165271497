package org.tuninglab.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A one-line progress bar on a console, redrawn each step; evaluations get their own line. */
public final class ConsoleProgress implements TrainingListener {
  private static final int WIDTH = 30;
  private final PrintStream out;

  /**
   * Creates the bar.
   *
   * @param out where to draw it, usually {@code System.err}
   */
  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onStep(StepReport r) {
    int filled = (int) (WIDTH * r.step() / Math.max(1, r.totalSteps()));
    out.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %d/%d  epoch %.2f  loss %.4f  lr %.2e  |g| %.3f  %.0f tok/s%s",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            r.step(),
            r.totalSteps(),
            r.epoch(),
            r.loss(),
            r.lr(),
            r.gradNorm(),
            r.tokensPerSecond(),
            r.skipped()
                ? String.format(
                    Locale.ROOT, "  (skipped: fp16 overflow at loss scale %.0f)", r.lossScale())
                : ""));
    out.flush();
  }

  @Override
  public void onEvaluation(EvalReport r) {
    out.printf(
        Locale.ROOT,
        "%nstep %d  eval loss %.4f  perplexity %.2f%s%s%n",
        r.step(),
        r.loss(),
        r.perplexity(),
        r.best() ? "  (best)" : "",
        metrics(r.metrics()));
  }

  @Override
  public void onEnd(TrainingResult result) {
    out.println();
    out.println(result.message());
  }

  /** An objective's own holdout figures by name, four significant digits each. */
  private static String metrics(Map<String, Double> metrics) {
    StringBuilder line = new StringBuilder();
    new TreeMap<>(metrics).forEach(
        (name, value) -> line.append(String.format(Locale.ROOT, "  %s %.4g", name, value)));
    return line.toString();
  }
}
