package org.tuninglab.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** jjava's renderer with {@link ValueText} instead of {@code String.valueOf} as the plain-text fallback. */
final class ValueRenderer extends Renderer {

  @Override
  protected DisplayData finalizeDisplayData(DisplayData data, Object value) {
    if (!data.hasDataForType(MIMEType.TEXT_PLAIN)) {
      data.putText(ValueText.of(value));
    }
    return data;
  }
}
