package org.tuninglab.display;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Text;
import tech.tablesaw.api.Table;

/** Tablesaw tables as HTML, with the plain-text print for consoles and nbconvert's text output. */
final class TablesawRenderers {

  private TablesawRenderers() {}

  static void register(Renderer renderer) {
    renderer.createRegistration(Table.class)
        .preferring(Text.HTML)
        .supporting(Text.PLAIN)
        .register((table, ctx) -> {
          ctx.renderIfRequested(Text.HTML, () -> TableHtml.render(table));
          ctx.renderIfRequested(Text.PLAIN, () -> TableText.render(table, TableHtml.DEFAULT_MAX_ROWS));
        });
  }
}
