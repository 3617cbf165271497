package org.tuninglab.kernel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.ZMQ;

/**
 * The IOPub socket with stream output joined and capped by a {@link StreamCoalescer}, flushed
 * every {@value #FLUSH_INTERVAL_MS} ms (ipykernel's interval), and no high-water mark: with
 * the output capped nothing can pile up, and a status message is never dropped.
 */
final class CoalescingIOPubChannel extends IOPubChannel {

  static final long FLUSH_INTERVAL_MS = 200;

  /** Characters one request shows before the rest is counted instead (a line without end). */
  static final int MAX_CHARS = 2_000_000;

  private final StreamCoalescer coalescer;
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "iopub-flush");
    thread.setDaemon(true);
    return thread;
  });

  /** @param maxLines lines one request shows before the rest is counted instead */
  CoalescingIOPubChannel(ZMQ.Context context, HMACGenerator hmac, int maxLines) {
    super(context, hmac);
    this.coalescer = new StreamCoalescer(super::sendMessage, maxLines, MAX_CHARS);
    setSndHWM(0);
    flusher.scheduleWithFixedDelay(coalescer::flush, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void sendMessage(Message<?> message) {
    coalescer.publish(message);
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    if (!closed) {
      coalescer.flush();
    }
    super.close();
  }
}
