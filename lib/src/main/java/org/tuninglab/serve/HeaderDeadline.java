package org.tuninglab.serve;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not completed its first request's headers within a deadline. The
 * idle timeout alone does not stop a slowloris: a client sending one header byte every few seconds
 * is never idle, and enough of them would fill the connection limit.
 */
final class HeaderDeadline implements Connection.Listener {
  private final Scheduler scheduler;
  private final long millis;

  HeaderDeadline(Scheduler scheduler, long millis) {
    this.scheduler = scheduler;
    this.millis = millis;
  }

  @Override
  public void onOpened(Connection connection) {
    scheduler.schedule(() -> {
      if (connection.getMessagesIn() == 0) { // counts requests whose headers were parsed
        connection.getEndPoint().close();
      }
    }, millis, TimeUnit.MILLISECONDS);
  }
}
