package org.tuninglab.display;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Text;
import org.tuninglab.peft.ParameterReport;

/** The library's own result types, shown the way a notebook reader wants them. */
final class LibraryRenderers {

  private LibraryRenderers() {}

  static void register(Renderer renderer) {
    // The parameter report: PEFT's one-line summary above its table of counts and bytes.
    renderer.createRegistration(ParameterReport.class)
        .preferring(Text.HTML)
        .supporting(Text.PLAIN)
        .register((report, ctx) -> {
          ctx.renderIfRequested(Text.HTML, () -> "<p><code>" + escape(report.format().lines().findFirst().orElse(""))
              + "</code></p>" + TableHtml.render(report.toTable()));
          ctx.renderIfRequested(Text.PLAIN, report::format);
        });
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
