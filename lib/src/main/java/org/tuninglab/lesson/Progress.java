package org.tuninglab.lesson;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.tuninglab.train.StepReport;
import org.tuninglab.train.TrainingListener;

/**
 * Progress of a long measurement, one line at a time on a console (usually {@code System.err}):
 * what is running, how far it is ({@code n/N}) and the time left at the rate since the first
 * report. Lines come at the first report, at most every five seconds after it, and at the end, so
 * a log stays short.
 */
public final class Progress {
  private static final long EVERY_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final Function<String, BiConsumer<Integer, Integer>> counters;

  /**
   * Creates the progress.
   *
   * @param out where lines go
   */
  public Progress(PrintStream out) {
    this(out, null);
  }

  private Progress(PrintStream out, Function<String, BiConsumer<Integer, Integer>> counters) {
    this.out = out;
    this.counters = counters;
  }

  /**
   * Progress a caller shows its own way (a notebook's live view): each {@link #counter} is
   * {@code counters} applied to what is running; notes are lines on {@code notes}.
   *
   * @param counters makes the counter of a part, given its name
   * @param notes where {@link #note} lines go
   * @return the progress
   */
  public static Progress to(Function<String, BiConsumer<Integer, Integer>> counters, PrintStream notes) {
    return new Progress(notes, Objects.requireNonNull(counters, "counters"));
  }

  /** Progress that prints nothing (tests, notebooks that show their own). */
  public static Progress silent() {
    return new Progress(new PrintStream(OutputStream.nullOutputStream()));
  }

  /**
   * A counter for answers or items: call it with the number done and the total.
   *
   * @param what the part running, e.g. {@code "few-shot: 0-shot and 3-shot answers"}
   * @return the counter
   */
  public BiConsumer<Integer, Integer> counter(String what) {
    if (counters != null) {
      return counters.apply(what);
    }
    // The clock starts at the first report, not here: a counter is often made before a slow setup
    // (loading, training) that would otherwise count as the items' time.
    long[] first = new long[3]; // nanos of the first report, items done by then, last line's nanos
    boolean[] started = {false};
    return (done, total) -> {
      long now = System.nanoTime();
      if (!started[0]) {
        started[0] = true;
        first[0] = now;
        first[1] = done;
        first[2] = now;
        out.println(line(what, done, total, 0, 0));
      } else if (done.equals(total) || now - first[2] >= EVERY_NANOS) {
        first[2] = now;
        out.println(line(what, done, total, done - first[1], now - first[0]));
      }
    };
  }

  /**
   * A training listener printing the step and the time left.
   *
   * @param what the run, e.g. {@code "full fine-tune (preset)"}
   * @return the listener
   */
  public TrainingListener training(String what) {
    BiConsumer<Integer, Integer> steps = counter(what + ": training");
    return new TrainingListener() {
      @Override
      public void onStep(StepReport r) {
        steps.accept((int) r.step(), (int) r.totalSteps());
      }
    };
  }

  /**
   * A line of its own, e.g. a part starting.
   *
   * @param text the line
   */
  public void note(String text) {
    out.println("lessons: " + text);
  }

  /** {@code lessons: WHAT n/N, 0:42 left (0:10 so far)}: the time left at the rate of the items timed. */
  static String line(String what, int done, int total, long timed, long elapsedNanos) {
    String left =
        timed <= 0 ? "?" : clock((long) ((double) elapsedNanos / timed * (total - done) / 1e9));
    return String.format(
        Locale.ROOT, "lessons: %s %d/%d, %s left (%s so far)", what, done, total, left,
        clock(elapsedNanos / 1_000_000_000L));
  }

  private static String clock(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
