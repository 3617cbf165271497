package org.tuninglab.display;

import org.tuninglab.eval.view.MetricsTable;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Text;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.peft.ParameterReport;
import org.tuninglab.lesson.Markdown;

/** The library's own result types, shown the way a notebook reader wants them. */
final class LibraryRenderers {

  private LibraryRenderers() {}

  static void register(Renderer renderer) {
    registerMarkdown(renderer);
    // The parameter report: PEFT's one-line summary above its table of counts and bytes.
    renderer.createRegistration(ParameterReport.class)
        .preferring(Text.HTML)
        .supporting(Text.PLAIN)
        .register((report, ctx) -> {
          ctx.renderIfRequested(Text.HTML, () -> "<p><code>" + escape(report.format().lines().findFirst().orElse(""))
              + "</code></p>" + TableHtml.render(report.toTable()));
          ctx.renderIfRequested(Text.PLAIN, report::format);
        });
    // An evaluation: a line saying what ran, the metrics per strategy, and the per-category
    // breakdown when the set has categories; the drill-down stays a call away (DrillDown.of(result)).
    renderer.createRegistration(EvalResult.class)
        .preferring(Text.HTML)
        .supporting(Text.PLAIN)
        .register((result, ctx) -> {
          boolean categories = result.examples().stream().anyMatch(e -> e.category() != null);
          ctx.renderIfRequested(Text.HTML, () -> "<p>" + escape(summary(result)) + "</p>"
              + TableHtml.render(MetricsTable.of(result))
              + (categories ? TableHtml.render(MetricsTable.byCategory(result)) : ""));
          ctx.renderIfRequested(Text.PLAIN, () -> summary(result) + "\n"
              + TableText.render(MetricsTable.of(result), TableHtml.DEFAULT_MAX_ROWS));
        });
  }

  private static void registerMarkdown(Renderer renderer) {
    // A conclusion computed from the run: Markdown where the front end renders it, its source elsewhere.
    renderer.createRegistration(Markdown.class)
        .preferring(Text.MARKDOWN)
        .supporting(Text.PLAIN)
        .register((md, ctx) -> {
          ctx.renderIfRequested(Text.MARKDOWN, md::text);
          ctx.renderIfRequested(Text.PLAIN, md::text);
        });
  }

  private static String summary(EvalResult result) {
    int failed = result.strategies().stream().mapToInt(result::failures).sum();
    return count(result.strategies().size(), "strategy", "strategies") + " × "
        + count(result.examples().size(), "example", "examples")
        + (failed == 0 ? "" : ", " + count(failed, "failed reply", "failed replies")
            + " (counted, not scored)");
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
