package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.tuninglab.data.Batch;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.TruncationReport;
import org.tuninglab.io.ResidentMemory;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.parallel.ComputeDtype;
import org.tuninglab.parallel.GpuMemory;
import org.tuninglab.parallel.MemoryPlan;
import org.tuninglab.parallel.MemoryPlanner;
import org.tuninglab.parallel.OptimizerKind;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.tokenize.SpecialTokens;
import org.tuninglab.tokenize.TextTokenizer;
import org.tuninglab.train.Trainer;
import org.tuninglab.train.TrainerConfig;

/**
 * {@code tuninglab bench plan}: the memory planner against the measured peak of real training
 * steps on the CPU, for a tiny and a ~10M-parameter model and every method.
 *
 * <p>Each case runs in a JVM of its own, started with a fixed, pre-touched Java heap ({@code
 * -Xms=-Xmx}, {@code -XX:+AlwaysPreTouch}) so that the heap's growth (the random weights pass
 * through it as float arrays) is not counted. The child first trains a one-sequence step of the
 * tiny model (so libtorch's kernels, thread pool and the JIT are loaded), then reads its resident
 * set, builds the case's model, trains it through {@link Trainer}'s public builder, and reports
 * its peak resident set ({@code VmHWM}) minus that baseline: weights, gradients, optimizer state,
 * activations and workspace as libtorch and the allocator held them at the peak.
 */
public final class PlanCheck {
  /** Sequences a case trains per step is its batch; it trains this many steps. */
  static final int STEPS = 2;

  /** Heap of each child JVM, pre-touched. */
  static final String CHILD_HEAP = "256m";

  static final String RECORD_PREFIX = "plan-check-row ";

  /** The 2-layer test model of the trainer's tests (about 30K parameters). */
  public static final ModelConfig TINY =
      ModelConfig.builder().setVocabSize(272).setHiddenSize(32).setIntermediateSize(64)
          .setNumLayers(2).setNumHeads(4).optNumKvHeads(2).optMaxPositions(512).build();

  /** About 10.5M parameters: D 256, 8 layers, 8 heads over 4 key/value heads, vocabulary 8192. */
  public static final ModelConfig SMALL =
      ModelConfig.builder().setVocabSize(8192).setHiddenSize(256).setIntermediateSize(688)
          .setNumLayers(8).setNumHeads(8).optNumKvHeads(4).optMaxPositions(512).build();

  /**
   * One measured configuration.
   *
   * @param label the model's name in the table
   * @param model its shape
   * @param method the method
   * @param batch the micro-batch
   * @param seqLen tokens per sequence
   */
  public record Case(String label, ModelConfig model, MethodSpec method, int batch, int seqLen) {
    PlanSettings settings() {
      return new PlanSettings(method, ComputeDtype.FP32, OptimizerKind.ADAMW, batch, seqLen, false);
    }

    /** "model/method/BxT", what {@code bench plan --only} selects it by. */
    public String name() {
      return label + "/" + method.name() + "/" + batch + "x" + seqLen;
    }
  }

  /**
   * A case's figures.
   *
   * @param label model and method
   * @param planned the planner's total
   * @param measured peak resident set over the baseline, with allocations of 64 KiB or more
   *     returned to the system when freed ({@link ResidentMemory#MMAP_THRESHOLD})
   * @param measuredDefaultMalloc the same with glibc's default allocator settings
   * @param builtBytes resident set after the model and method were built, over the baseline
   * @param plannedStatic the planner's weights, gradients and optimizer state
   * @param plannedActivations the planner's activations of one micro-batch
   * @param forwardBytes the measured growth of the resident set over one forward pass and loss
   */
  public record Row(String label, long planned, long measured, long measuredDefaultMalloc,
      long builtBytes, long plannedStatic, long plannedActivations, long forwardBytes) {
    /** Planned over measured (live bytes). */
    public double ratio() {
      return (double) planned / measured;
    }

    /** Planned over the peak with glibc's default allocator settings. */
    public double defaultMallocRatio() {
      return (double) planned / measuredDefaultMalloc;
    }

    /** Planned activations over the resident set one forward pass added. */
    public double activationRatio() {
      return (double) plannedActivations / forwardBytes;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanCheck() {}

  /**
   * The cases: each method on the tiny and the ~10M model, then full fine-tuning of the ~10M model
   * on one short sequence, where the optimizer's update, not the activations, makes the peak.
   */
  public static List<Case> cases() {
    LoraConfig lora = LoraConfig.builder().setR(8).optAlpha(16).optDropout(0.05)
        .setTargetModules(List.of("q_proj", "v_proj")).build();
    List<MethodSpec> methods = List.of(MethodSpec.full(), MethodSpec.lora(lora),
        MethodSpec.qlora(lora),
        MethodSpec.promptTuning(PromptTuningConfig.builder().setNumVirtualTokens(20)
            .optInit(PromptInit.SAMPLE_VOCAB).build()));
    List<Case> cases = new ArrayList<>();
    for (MethodSpec m : methods) {
      cases.add(new Case("tiny", TINY, m, 8, 256));
    }
    for (MethodSpec m : methods) {
      cases.add(new Case("10M", SMALL, m, 4, 256));
    }
    cases.add(new Case("10M", SMALL, MethodSpec.full(), 1, 32));
    return cases;
  }

  /**
   * Measures every case in a child JVM and prints planned, measured and their ratio.
   *
   * @param log where the table goes
   * @return the rows, in {@link #cases()} order
   * @throws IOException if a child fails
   */
  public static List<Row> run(PrintStream log) throws IOException {
    return run(log, List.of());
  }

  /**
   * As above, for the cases named in {@code only} ({@link Case#name()}); all when it is empty.
   *
   * @throws IllegalArgumentException if a name is not a case's
   */
  public static List<Row> run(PrintStream log, List<String> only) throws IOException {
    List<Case> cases = cases();
    List<String> names = cases.stream().map(Case::name).toList();
    for (String name : only) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("--only: no case '" + name + "'; the cases are "
            + String.join(", ", names));
      }
    }
    log.printf("planner vs measured peak memory on %s, fp32, AdamW, %d training steps per case,"
        + " one JVM per case (heap %s pre-touched, libtorch warmed up before the baseline)%n",
        Engine.getInstance().defaultDevice(), STEPS, CHILD_HEAP);
    log.printf("  %-6s %-7s %7s %10s %10s %10s %6s %10s %6s %10s %10s %6s%n", "model", "method",
        "B x T", "built", "planned", "peak", "ratio", "peak (def)", "ratio", "act. plan",
        "forward", "ratio");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      if (!only.isEmpty() && !only.contains(c.name())) {
        continue;
      }
      Row row = measure(i, true);
      rows.add(row);
      log.printf("  %-6s %-7s %7s %9.1fM %9.1fM %9.1fM %6.2f %9.1fM %6.2f %9.1fM %9.1fM %6.2f%n",
          c.label(), c.method().name(), c.batch() + "x" + c.seqLen(), row.builtBytes() / 1e6,
          row.planned() / 1e6, row.measured() / 1e6, row.ratio(),
          row.measuredDefaultMalloc() / 1e6, row.defaultMallocRatio(),
          row.plannedActivations() / 1e6, row.forwardBytes() / 1e6, row.activationRatio());
    }
    log.println("  peak: resident set at its highest (VmHWM) minus before the model was built, with"
        + " MALLOC_MMAP_THRESHOLD_=" + ResidentMemory.MMAP_THRESHOLD + " (live bytes) and with glibc's defaults"
        + " (also counts freed blocks the allocator keeps); built: the model and method alone;"
        + " forward: what one micro-batch's forward pass and loss added.");
    return rows;
  }

  /**
   * Measures one case, in child JVMs: one for live bytes, and with {@code defaultMalloc} one more
   * with glibc's default settings.
   *
   * @param index the case's index in {@link #cases()}
   * @param defaultMalloc whether to measure with the default allocator settings too (else that
   *     column repeats the live-bytes peak)
   * @return planned and measured figures
   * @throws IOException if a child fails
   */
  public static Row measure(int index, boolean defaultMalloc) throws IOException {
    Case c = cases().get(index);
    JsonNode live = runChild(index, true);
    long peakDefault = defaultMalloc ? runChild(index, false).get("peak_bytes").asLong()
        : live.get("peak_bytes").asLong();
    MemoryPlan plan =
        MemoryPlanner.plan(c.model(), c.settings(), new GpuMemory("host", Long.MAX_VALUE));
    return new Row(c.label() + " " + c.method().name(), plan.totalBytes(),
        live.get("peak_bytes").asLong(), peakDefault, live.get("built_bytes").asLong(),
        plan.staticBytes(), plan.activationsBytes(), live.get("forward_bytes").asLong());
  }

  private static JsonNode runChild(int index, boolean liveBytes) throws IOException {
    return JSON.readTree(ResidentMemory.measuringChild("plan-check case " + index, CHILD_HEAP,
        liveBytes, PlanCheck.class, List.of(Integer.toString(index)), RECORD_PREFIX));
  }

  /**
   * The child's entry point: warms libtorch up, then measures one case.
   *
   * @param args the case's index in {@link #cases()}
   * @throws IOException if {@code /proc/self/status} cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: PlanCheck CASE_INDEX (started by PlanCheck.run)");
    }
    Case c = cases().get(Integer.parseInt(args[0]));
    train(new Case("warm-up", TINY, c.method(), 1, 16), null, null);
    System.gc();
    long before = ResidentMemory.current();
    long[] built = new long[1];
    long[] forward = new long[1];
    train(c, () -> built[0] = ResidentMemory.current() - before, forward);
    long peak = ResidentMemory.peak() - before;
    System.out.println(RECORD_PREFIX + JSON.createObjectNode().put("peak_bytes", peak)
        .put("built_bytes", built[0]).put("forward_bytes", forward[0])
        .put("baseline_bytes", before));
  }

  /** Reads the resident set once everything is built, before the first step. */
  private interface BuiltProbe {
    void read() throws IOException;
  }

  /** Builds the case's model and method and trains {@link #STEPS} steps through the Trainer. */
  private static void train(Case c, BuiltProbe probe, long[] forwardBytes) throws IOException {
    RandomWeights weights = RandomWeights.forTraining(0, 0.02);
    try (LlamaModel model = LlamaModel.create(c.model(), weights, Device.cpu(), DataType.FLOAT32);
        AdaptedModel adapted = c.method().apply(model, null)) {
      Random random = new Random(0);
      List<EncodedExample> examples = new ArrayList<>();
      for (int i = 0; i < c.batch() * STEPS; i++) {
        int[] ids = new int[c.seqLen()];
        boolean[] trained = new boolean[c.seqLen()];
        for (int t = 0; t < ids.length; t++) {
          ids[t] = random.nextInt(c.model().vocabSize());
          trained[t] = true;
        }
        examples.add(new EncodedExample(ids, trained, 0, "random " + i));
      }
      SftCollator collator = SftCollator.builder()
          .setTokenizer(new EosTokenizer(new AsciiTokenizer(c.model().vocabSize())))
          .setMaxLength(c.seqLen()).build();
      TrainerConfig config = TrainerConfig.builder().optLr(1e-4).optBatchSize(c.batch())
          .optMaxSteps(STEPS).optSeed(0).build();
      Trainer trainer = Trainer.builder().setAdaptedModel(adapted).setCollator(collator)
          .setTrainData(new EncodedDataset(examples, new TruncationReport(0, 0, List.of())))
          .setConfig(config).build();
      if (probe != null) {
        probe.read();
        forwardBytes[0] = heldByForward(adapted, collator, examples.subList(0, c.batch()));
      }
      trainer.fit();
    }
  }

  /**
   * What one micro-batch's forward pass and loss hold, with autograd recording: the growth of the
   * resident set while they run in a fresh process (nothing freed yet to reuse).
   */
  private static long heldByForward(
      AdaptedModel adapted, SftCollator collator, List<EncodedExample> examples)
      throws IOException {
    long before = ResidentMemory.current();
    try (NDManager scope = adapted.base().manager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      adapted.setTraining(true);
      Batch batch = collator.collate(examples, scope);
      NDArray logits = adapted.logits(batch.inputIds(), batch.attentionMask()); // (B, T, V)
      TokenCrossEntropy.sum(logits, batch.labels());
      return ResidentMemory.current() - before;
    }
  }

  /**
   * The collator needs an end token, only to end completions it encodes itself; the examples here
   * come encoded, so id 0 serves.
   */
  private record EosTokenizer(TextTokenizer ascii) implements TextTokenizer {
    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
      return ascii.encode(text, addSpecialTokens);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
      return ascii.decode(ids, skipSpecialTokens);
    }

    @Override
    public int vocabSize() {
      return ascii.vocabSize();
    }

    @Override
    public SpecialTokens specialTokens() {
      return new SpecialTokens(
          OptionalInt.empty(), Set.of(0), OptionalInt.empty(), OptionalInt.empty(), Map.of());
    }

    @Override
    public String tokenText(int id) {
      return ascii.tokenText(id);
    }
  }
}
