package org.tuninglab.display;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Shows progress as one notebook output that each later snapshot replaces in place. */
final class NotebookProgressView implements ProgressView {

  private final LiveOutput output;

  NotebookProgressView(BaseKernel kernel) {
    this.output = new LiveOutput(kernel);
  }

  @Override
  public void show(ProgressSnapshot snapshot) {
    DisplayData data = new DisplayData(ProgressHtml.text(snapshot));
    data.putHTML(ProgressHtml.html(snapshot));
    output.show(data);
  }
}
