package org.tuninglab.display;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * The display extension. Each optional library is checked for by name first: a renderer class
 * that names a missing library would fail to load and take the whole extension with it.
 */
public final class TuningLabDisplay implements Extension {

  static final String TABLESAW = "tech.tablesaw.api.Table";
  static final String XCHART = "org.knowm.xchart.internal.chartpart.Chart";
  static final String LIBRARY = "org.tuninglab.peft.ParameterReport";

  @Override
  public void install(BaseKernel kernel) {
    if (isPresent(TABLESAW)) {
      TablesawRenderers.register(kernel.getRenderer());
    }
    if (isPresent(XCHART)) {
      XChartRenderers.register(kernel.getRenderer());
    }
    if (isPresent(TABLESAW) && isPresent(LIBRARY)) {
      LibraryRenderers.register(kernel.getRenderer());
    }
  }

  static boolean isPresent(String className) {
    try {
      Class.forName(className, false, TuningLabDisplay.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
