package org.tuninglab.kernel;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

/**
 * jjava's connection with the shell and control channels replaced by {@link FastShellChannel}s
 * and IOPub by a {@link CoalescingIOPubChannel}. The inherited shell, control and IOPub sockets
 * are created by the superclass but never bound.
 */
final class FastJupyterConnection extends JupyterConnection {

  private final KernelConnectionProperties props;
  private final ZMQ.Context context;
  private final FastShellChannel fastShell;
  private final FastShellChannel fastControl;
  private final CoalescingIOPubChannel coalescingIopub;
  private boolean connected;
  private boolean closed;

  /** @param maxOutputLines lines of stream output one request shows before the rest is counted */
  FastJupyterConnection(KernelConnectionProperties props, int maxOutputLines) throws NoSuchAlgorithmException, InvalidKeyException {
    super(props);
    this.props = props;
    this.context = ZMQ.context(1);
    HMACGenerator hmac = props.createHMACGenerator();
    this.fastShell = new FastShellChannel(context, hmac, false, this);
    this.fastControl = new FastShellChannel(context, hmac, true, this);
    this.coalescingIopub = new CoalescingIOPubChannel(context, hmac, maxOutputLines);
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
    coalescingIopub.bind(props);
    coalescingIopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
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
    coalescingIopub.close();
    super.close();
    context.close();
  }

  /** Replies go out on the shell channel that took the request; everything published, on the coalescing IOPub. */
  @Override
  public ShellReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext request) {
    return new ShellReplyEnvironment(shell, stdin, coalescingIopub, request) { };
  }

  @Override
  public void waitUntilClose() {
    fastShell.waitUntilClose();
    fastControl.waitUntilClose();
    super.waitUntilClose();
  }
}
