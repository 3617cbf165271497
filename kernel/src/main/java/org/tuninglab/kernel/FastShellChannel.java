package org.tuninglab.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.ZMQ;

/**
 * A shell or control channel that blocks in {@code poll} until a request arrives.
 *
 * <p>jjava's own channel polls without waiting and then sleeps a fixed 50 ms, so every request
 * waits up to 50 ms before it is even read; this one answers as soon as the request lands.
 */
final class FastShellChannel extends ShellChannel {

  /** How often the loop looks at its {@code running} flag while no request comes. */
  private static final int POLL_TIMEOUT_MS = 100;

  private final boolean control;
  private final JupyterConnection connection;
  private volatile boolean running;
  private Thread loop;

  FastShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection) {
    super(context, hmac, control, connection, 0);
    this.control = control;
    this.connection = connection;
  }

  @Override
  public void bind(KernelConnectionProperties props) {
    if (loop != null) {
      throw new IllegalStateException("Channel already bound");
    }
    int port = control ? props.getControlPort() : props.getShellPort();
    bind(formatAddress(props.getTransport(), props.getIp(), port));
    running = true;
    loop = new Thread(this::serve, control ? "control" : "shell");
    loop.start();
  }

  private void serve() {
    ZMQ.Poller poller = ctx.poller(1);
    poller.register(this, ZMQ.Poller.POLLIN);
    try {
      while (running) {
        if (poller.poll(POLL_TIMEOUT_MS) > 0 && running) {
          handle(readMessage());
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        logger.warn("{} channel stopped: {}", control ? "Control" : "Shell", e.toString());
      }
    } finally {
      poller.close();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void handle(Message<?> message) {
    ShellHandler handler = connection.getHandler(message.getHeader().getType());
    if (handler == null) {
      logger.warn("Unhandled message: {}", message.getHeader().getType().getName());
      return;
    }
    ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
    try {
      handler.handle(env, message);
    } catch (Exception e) {
      logger.warn("Error handling {}: {}", message.getHeader().getType().getName(), e.toString());
    } finally {
      env.resolveDeferrals();
    }
    if (env.isMarkedForShutdown()) {
      connection.close();
    }
  }

  @Override
  public void close() {
    running = false;
    Thread thread = loop;
    if (thread != null && thread != Thread.currentThread()) {
      // A ZeroMQ socket belongs to one thread: let the loop leave poll() before closing it.
      try {
        thread.join(POLL_TIMEOUT_MS * 5L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!closed) {
      super.close();
    }
  }

  @Override
  public void waitUntilClose() {
    Thread thread = loop;
    if (thread != null) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
