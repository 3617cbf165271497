package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * One notebook's headless run.
 *
 * @param notebook the source notebook
 * @param executed the executed copy
 * @param html its HTML copy
 * @param seconds wall time
 * @param problems what went wrong: nbconvert's failure, or expected outputs missing; empty when it passed
 */
record NotebookRun(Path notebook, Path executed, Path html, double seconds, List<String> problems) {

  boolean passed() {
    return problems.isEmpty();
  }
}
