package org.tuninglab.kernel;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

/**
 * jjava's connection with the shell and control channels replaced by {@link FastShellChannel}s.
 * The inherited shell and control sockets are created by the superclass but never bound.
 */
final class FastJupyterConnection extends JupyterConnection {

  private final KernelConnectionProperties props;
  private final ZMQ.Context context;
  private final FastShellChannel fastShell;
  private final FastShellChannel fastControl;
  private boolean connected;
  private boolean closed;

  FastJupyterConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
    super(props);
    this.props = props;
    this.context = ZMQ.context(1);
    HMACGenerator hmac = props.createHMACGenerator();
    this.fastShell = new FastShellChannel(context, hmac, false, this);
    this.fastControl = new FastShellChannel(context, hmac, true, this);
  }

  @Override
  public synchronized void connect() {
    if (connected) {
      return;
    }
    heartbeat.bind(props);
    fastShell.bind(props);
    fastControl.bind(props);
    stdin.bind(props);
    iopub.bind(props);
    iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    connected = true;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    fastShell.close();
    fastControl.close();
    super.close();
    context.close();
  }

  @Override
  public void waitUntilClose() {
    fastShell.waitUntilClose();
    fastControl.waitUntilClose();
    super.waitUntilClose();
  }
}
