package org.tuninglab.display;

/** Where a {@link LiveProgress} shows itself: a notebook display, a console, a test. */
public interface ProgressView {

  void show(ProgressSnapshot snapshot);
}
