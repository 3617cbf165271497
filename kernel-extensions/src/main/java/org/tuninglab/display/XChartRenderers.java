package org.tuninglab.display;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.common.Text;
import org.knowm.xchart.internal.chartpart.Chart;

/** XChart charts as PNG by default; {@code display(chart, "image/svg+xml")} asks for SVG. */
final class XChartRenderers {

  private XChartRenderers() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  static void register(Renderer renderer) {
    renderer.createRegistration((Class) Chart.class)
        .preferring(Image.PNG)
        .supporting(Image.SVG, Text.PLAIN)
        .register((chart, ctx) -> {
          Chart<?, ?> c = (Chart<?, ?>) chart;
          ctx.renderIfRequested(Image.PNG, () -> ChartImages.pngBase64(c));
          ctx.renderIfRequested(Image.SVG, () -> ChartImages.svg(c));
          ctx.renderIfRequested(Text.PLAIN, () -> "Chart: " + (c.getTitle() == null ? "(untitled)" : c.getTitle()));
        });
  }
}
