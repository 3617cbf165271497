package org.tuninglab.serve;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.generate.GenerationConfig;

/**
 * One worker thread owns the model and answers jobs first come, first served; the queue is
 * bounded, and a job beyond it is refused with 503 at once instead of waiting ever longer. A job's results arrive as events on its own
 * queue (text deltas, then the reply or a failure), so a slow client never stalls the model.
 */
final class GenerationQueue implements AutoCloseable {
  private final LocalChatModel model;
  private final BlockingQueue<Job> jobs;
  private final Thread worker;
  private volatile boolean closing;

  /** One request's work and the events it produces. */
  static final class Job {
    final int[] prompt;
    final GenerationConfig config;
    final BlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
    volatile boolean cancelled;

    Job(int[] prompt, GenerationConfig config) {
      this.prompt = prompt;
      this.config = config;
    }

    /** The next event, or null after {@code millis} without one. */
    GenerationEvent poll(long millis) throws InterruptedException {
      return events.poll(millis, TimeUnit.MILLISECONDS);
    }
  }

  /** Thrown from the delta listener to stop a job nobody waits for any more. */
  private static final class Abandoned extends RuntimeException {
    Abandoned() {
      super(null, null, false, false);
    }
  }

  GenerationQueue(LocalChatModel model, int capacity) {
    this.model = model;
    this.jobs = new LinkedBlockingQueue<>(capacity);
    this.worker = new Thread(this::work, "tuninglab-serve-worker");
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues a job behind the ones already waiting. */
  Job submit(int[] prompt, GenerationConfig config) {
    if (closing) {
      throw new ApiException(503, "the server is shutting down", "server_error", null, null);
    }
    Job job = new Job(prompt, config);
    if (!jobs.offer(job)) {
      throw new ApiException(
          503, "the server is busy: " + jobs.size() + " requests are waiting for the model; retry"
              + " later", "server_error", null, "queue_full");
    }
    return job;
  }

  /** Jobs waiting for the model (not counting the one it is answering). */
  int waiting() {
    return jobs.size();
  }

  private void work() {
    while (!closing) {
      Job job;
      try {
        job = jobs.take();
      } catch (InterruptedException e) {
        break;
      }
      if (job.cancelled) {
        continue;
      }
      try {
        ChatReply reply =
            model.generate(job.prompt, job.config, delta -> {
              if (job.cancelled || closing) {
                throw new Abandoned();
              }
              if (!delta.isEmpty()) {
                job.events.add(new GenerationEvent.Delta(delta));
              }
            });
        job.events.add(new GenerationEvent.Done(reply));
      } catch (Abandoned e) {
        job.events.add(
            new GenerationEvent.Failed(
                new ChatModelException("abandoned: the client left or the server stopped")));
      } catch (RuntimeException e) {
        job.events.add(new GenerationEvent.Failed(e));
      }
    }
    for (Job job : jobs) {
      job.events.add(
          new GenerationEvent.Failed(new ChatModelException("the server stopped before answering")));
    }
  }

  /** Stops the worker after the token it is on; waiting jobs fail. Returns once it has ended. */
  @Override
  public void close() {
    closing = true;
    worker.interrupt();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
