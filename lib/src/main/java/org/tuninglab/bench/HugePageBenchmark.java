package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tuninglab.io.ChildJvm;
import org.tuninglab.io.HugePages;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;

/**
 * {@code tuninglab bench hugepages}: the same training steps with glibc's default 4 KiB pages and
 * with {@link HugePages#GLIBC_TUNABLES}, each setting in JVMs of its own started alternately, so
 * the ratio is measured in one run on one machine's load. Each child reports its tokens/s, the
 * minor page faults per second of its timed steps and the share of its CPU time spent in the kernel.
 */
public final class HugePageBenchmark {
  /** The start of the child's result line on stdout. */
  static final String RECORD_PREFIX = "hugepages ";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HugePageBenchmark() {}

  /**
   * What to measure.
   *
   * @param config the model's {@code config.json} (random weights of that shape are trained)
   * @param batch sequences a step
   * @param seqLen tokens a sequence
   * @param steps timed steps a child
   * @param warmup untimed steps first
   * @param rounds children per setting, started alternately (off, on, on, off, ...)
   */
  public record Settings(Path config, int batch, int seqLen, int steps, int warmup, int rounds) {
    public Settings {
      if (batch < 1 || seqLen < 1 || steps < 1 || warmup < 0 || rounds < 1) {
        throw new IllegalArgumentException("batch, seq-len, steps and rounds must be >= 1 and warmup >= 0, got "
            + batch + ", " + seqLen + ", " + steps + ", " + rounds + ", " + warmup);
      }
    }
  }

  /**
   * One child's figures.
   *
   * @param hugePages whether the child ran with the tunable
   * @param tunables the child's {@code GLIBC_TUNABLES} as it saw it (empty when unset)
   * @param tokensPerSecond tokens over the median step time
   * @param minorFaultsPerSecond minor page faults over the timed steps' wall time
   * @param systemShare kernel CPU time over all CPU time in the timed steps
   */
  public record Run(boolean hugePages, String tunables, double tokensPerSecond, double minorFaultsPerSecond,
      double systemShare) {}

  /**
   * The measured runs and their medians per setting.
   *
   * @param runs every child, in the order started
   * @param kernelMode the kernel's transparent-huge-page mode
   */
  public record Result(List<Run> runs, String kernelMode) {
    /** The median tokens/s of one setting's children. */
    public double tokensPerSecond(boolean hugePages) {
      return UpperMedian.of(of(hugePages).stream().map(Run::tokensPerSecond).toList());
    }

    /** The median minor faults a second of one setting's children. */
    public double minorFaultsPerSecond(boolean hugePages) {
      return UpperMedian.of(of(hugePages).stream().map(Run::minorFaultsPerSecond).toList());
    }

    /** The median kernel share of CPU time of one setting's children. */
    public double systemShare(boolean hugePages) {
      return UpperMedian.of(of(hugePages).stream().map(Run::systemShare).toList());
    }

    /** Huge pages' tokens/s over the default's. */
    public double speedup() {
      return tokensPerSecond(true) / tokensPerSecond(false);
    }

    private List<Run> of(boolean hugePages) {
      return runs.stream().filter(r -> r.hugePages() == hugePages).toList();
    }
  }

  /**
   * Runs the children and prints one line each, then the comparison.
   *
   * @param s what to measure
   * @param out where the lines go
   * @return the figures
   * @throws IOException if a child fails
   */
  public static Result run(Settings s, PrintStream out) throws IOException {
    ModelConfig config = ModelConfig.load(s.config()); // read here, so a bad file is named before any child starts
    String kernelMode = HugePages.kernelMode();
    out.printf(Locale.ROOT, "model %s (%,d parameters), batch %d x %d tokens, %d timed steps a child after %d;"
        + " kernel transparent huge pages: %s%n", s.config(), config.parameterCount(), s.batch(), s.seqLen(),
        s.steps(), s.warmup(), kernelMode);
    List<Run> runs = new ArrayList<>();
    for (int round = 0; round < s.rounds(); round++) {
      for (boolean hugePages : round % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
        Run r = child(s, hugePages);
        runs.add(r);
        out.printf(Locale.ROOT, "  %-11s %10.1f tokens/s %12.0f minor faults/s %5.1f %% system time  (GLIBC_TUNABLES=%s)%n",
            hugePages ? "huge pages" : "4 KiB pages", r.tokensPerSecond(), r.minorFaultsPerSecond(),
            100 * r.systemShare(), r.tunables().isEmpty() ? "unset" : r.tunables());
      }
    }
    Result result = new Result(runs, kernelMode);
    out.printf(Locale.ROOT, "medians: 4 KiB pages %.1f tokens/s, %.0f faults/s, %.1f %% system;"
            + " huge pages %.1f tokens/s, %.0f faults/s, %.1f %% system; huge / 4 KiB: %.2fx%n",
        result.tokensPerSecond(false), result.minorFaultsPerSecond(false), 100 * result.systemShare(false),
        result.tokensPerSecond(true), result.minorFaultsPerSecond(true), 100 * result.systemShare(true),
        result.speedup());
    return result;
  }

  private static Run child(Settings s, boolean hugePages) throws IOException {
    String line = ChildJvm.resultLine(
        "the " + (hugePages ? "huge-page" : "4 KiB-page") + " child", List.of(),
        env -> {
          if (hugePages) {
            env.put("GLIBC_TUNABLES", HugePages.GLIBC_TUNABLES);
          } else {
            env.remove("GLIBC_TUNABLES");
          }
        },
        HugePageBenchmark.class,
        List.of(s.config().toString(), String.valueOf(s.batch()), String.valueOf(s.seqLen()),
            String.valueOf(s.steps()), String.valueOf(s.warmup()), String.valueOf(hugePages)),
        RECORD_PREFIX);
    return JSON.readValue(line, Run.class);
  }

  /**
   * The child's entry point.
   *
   * @param args config.json, batch, seq-len, steps, warmup, whether the parent asked for huge pages
   * @throws IOException if the config or {@code /proc/self/stat} cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 6) {
      throw new IllegalArgumentException(
          "usage: HugePageBenchmark CONFIG BATCH SEQ_LEN STEPS WARMUP HUGE_PAGES (started by HugePageBenchmark.run)");
    }
    ModelConfig config = ModelConfig.load(Path.of(args[0]));
    int batch = Integer.parseInt(args[1]);
    int seqLen = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    Random random = new Random(0);
    List<Double> times = new ArrayList<>();
    ProcessCounters before;
    ProcessCounters after;
    long wallStart;
    long wallEnd;
    try (LlamaModel model =
        LlamaModel.create(config, RandomWeights.forTraining(0, 0.02), Device.cpu(), DataType.FLOAT32)) {
      model.namedArrays().values().forEach(a -> a.setRequiresGradient(true));
      for (int i = 0; i < warmup; i++) {
        ModelBenchmark.trainingStep(model, batch, seqLen, random);
      }
      before = ProcessCounters.read();
      wallStart = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        times.add(ModelBenchmark.trainingStep(model, batch, seqLen, random));
      }
      wallEnd = System.nanoTime();
      after = ProcessCounters.read();
    }
    double wall = (wallEnd - wallStart) / 1e9;
    long cpu = (after.userTicks() - before.userTicks()) + (after.systemTicks() - before.systemTicks());
    Run run = new Run(Boolean.parseBoolean(args[5]), System.getenv().getOrDefault("GLIBC_TUNABLES", ""),
        (double) batch * seqLen / UpperMedian.of(times), (after.minorFaults() - before.minorFaults()) / wall,
        cpu == 0 ? 0 : (double) (after.systemTicks() - before.systemTicks()) / cpu);
    System.out.println(RECORD_PREFIX + JSON.writeValueAsString(run));
  }

  /**
   * This process's counters from {@code /proc/self/stat}: minor faults, user and system CPU time
   * in clock ticks (fields 10, 14 and 15, counted from 1).
   */
  record ProcessCounters(long minorFaults, long userTicks, long systemTicks) {
    static ProcessCounters read() throws IOException {
      return parse(Files.readString(Path.of("/proc/self/stat")));
    }

    static ProcessCounters parse(String stat) {
      // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+"); // rest[0] is field 3
      return new ProcessCounters(Long.parseLong(rest[10 - 3]), Long.parseLong(rest[14 - 3]), Long.parseLong(rest[15 - 3]));
    }
  }
}
