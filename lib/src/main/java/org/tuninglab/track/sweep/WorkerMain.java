package org.tuninglab.track.sweep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.TrackException;

/**
 * A sweep worker process, runnable with just the library's classpath (what Slurm array tasks and
 * the local pool start):
 *
 * <pre>
 * java -cp CLASSPATH org.tuninglab.track.sweep.WorkerMain --store DIR --sweep NAME
 *     [--objective toy|CLASS] [--max-trials N] [--worker-id ID] [--lease-seconds S]
 * </pre>
 *
 * Exit status 0 when it ran out of trials or reached its maximum, 2 on bad input.
 */
public final class WorkerMain {

  private WorkerMain() {}

  public static void main(String[] args) {
    try {
      int ran = run(args);
      System.out.println("worker done: " + ran + " trial(s)");
    } catch (TrackException e) {
      System.err.println("sweep worker: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Parses {@code args}, runs the worker, returns the number of trials it ran. */
  public static int run(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new TrackException("unexpected argument '" + args[i] + "': expected --store DIR --sweep NAME [--objective X] [--max-trials N] [--worker-id ID] [--lease-seconds S]");
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    if (!opts.containsKey("store") || !opts.containsKey("sweep")) {
      throw new TrackException("missing --store DIR or --sweep NAME");
    }
    Sweep sweep = Sweep.open(RunStore.open(Path.of(opts.get("store"))), opts.get("sweep"));
    String objective = opts.getOrDefault("objective", sweep.spec().objective() != null ? sweep.spec().objective() : "toy");
    Worker.Builder b = Worker.builder()
        .setSweep(sweep)
        .setFunction(objective(objective))
        .optMaxTrials(Integer.parseInt(opts.getOrDefault("max-trials", String.valueOf(Integer.MAX_VALUE))))
        .optLease(Duration.ofMillis((long) (1000 * Double.parseDouble(opts.getOrDefault("lease-seconds", "120")))))
        .optOnTrialEnd(t -> System.out.println("trial " + t.number() + " " + t.state() + " " + t.params() + " -> " + t.value()));
    if (opts.containsKey("worker-id")) {
      b.optWorkerId(opts.get("worker-id"));
    }
    return b.build().run();
  }

  /** {@code toy}, or a class implementing {@link TrialFunction} with a public no-argument constructor. */
  /**
   * Checks, without running it, that an objective name resolves: {@code toy}, or a class on the
   * classpath that implements {@link TrialFunction} with a public no-argument constructor.
   *
   * @throws TrackException naming the objective and what is wrong with it
   */
  public static void checkObjective(String name) {
    if (name.equals("toy")) {
      return;
    }
    Class<?> type;
    try {
      type = Class.forName(name, false, WorkerMain.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new TrackException("objective '" + name + "': no such class on the classpath; expected"
          + " 'toy' or a TrialFunction class with a public no-argument constructor", e);
    }
    if (!TrialFunction.class.isAssignableFrom(type)) {
      throw new TrackException(
          "objective " + name + " does not implement " + TrialFunction.class.getName());
    }
    try {
      type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new TrackException(
          "objective " + name + " has no public no-argument constructor", e);
    }
  }

  public static TrialFunction objective(String name) {
    if (name.equals("toy")) {
      return new ToyObjective();
    }
    try {
      Object o = Class.forName(name).getDeclaredConstructor().newInstance();
      if (o instanceof TrialFunction f) {
        return f;
      }
      throw new TrackException("objective " + name + " does not implement " + TrialFunction.class.getName());
    } catch (ReflectiveOperationException e) {
      throw new TrackException("objective '" + name + "': expected 'toy' or a TrialFunction class with a public no-argument constructor on the classpath: " + e, e);
    }
  }
}
