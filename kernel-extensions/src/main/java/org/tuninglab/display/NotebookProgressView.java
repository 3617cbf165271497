package org.tuninglab.display;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Shows progress as one notebook output that each later snapshot replaces in place. */
final class NotebookProgressView implements ProgressView {

  private final BaseKernel kernel;
  private String displayId;

  NotebookProgressView(BaseKernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public void show(ProgressSnapshot snapshot) {
    DisplayData data = new DisplayData(ProgressHtml.text(snapshot));
    data.putHTML(ProgressHtml.html(snapshot));
    if (displayId == null) {
      displayId = java.util.UUID.randomUUID().toString();
      data.setDisplayId(displayId);
      kernel.display(data);
    } else {
      kernel.getIO().display.updateDisplay(displayId, data);
    }
  }
}
