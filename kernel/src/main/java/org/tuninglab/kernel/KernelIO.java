package org.tuninglab.kernel;

import java.nio.charset.StandardCharsets;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/** jjava's cell streams, with the attach/detach calls the kernel's own execute handler needs. */
final class KernelIO extends JupyterIO {

  KernelIO() {
    super(StandardCharsets.UTF_8);
  }

  /** Sends the cell's output and stdin requests to the request in {@code env}. */
  void attach(ShellReplyEnvironment env, boolean stdinAllowed) {
    setEnv(env);
    setJupyterInEnabled(stdinAllowed);
  }

  void detach(ShellReplyEnvironment env) {
    retractEnv(env);
  }
}
