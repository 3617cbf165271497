package org.tuninglab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tuninglab.data.BatchOrder;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.model.NamedArray;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.score.ForwardPass;

/**
 * The training loop: micro-batches, gradient accumulation normalised over the update's weight
 * (trained tokens for SFT), clipping, AdamW, the schedule, holdout evaluation, checkpoints, resume
 * and early stopping.
 *
 * <p>What is trained is whatever arrays the caller hands in (all weights for a full fine-tune,
 * adapters for LoRA), so every fine-tuning method shares this loop; what is minimised is a
 * {@link TrainingObjective} ({@link SftObjective} by default: token cross-entropy, accumulation
 * normalised over the trained tokens of the whole update, so k micro-batches give the update of
 * one k-times-larger batch). Each update is one {@link TrainingStep}.
 *
 * <p>{@link #fit()} reads top-down in named steps: {@code nextMicroBatches}, {@code update},
 * {@code evaluate}, {@code checkpoint}.
 *
 * <p>Resuming: with an output folder that holds a checkpoint, {@link #fit()} loads the newest one
 * (weights, optimizer moments, step, data position, loss scale) and continues as if it had never
 * stopped. The run's randomness is a function of its seed and position: the data order of
 * (seed, epoch), and the engine's generator (dropout) reseeded from (seed, step) before each step.
 *
 * <p>Mixed precision (float16 weights, as torch.amp and Apex do it): the model computes its
 * numerically sensitive parts in float32, the loss is scaled before backward, the gradients are
 * copied to float32 and unscaled there, a step whose gradients overflowed is skipped and halves
 * the scale, and {@link AdamW} updates float32 master copies of the weights. The same loop runs
 * float32 on a CPU and float16 on a GPU; only the arrays' dtype and device differ.
 *
 * @param <E> one training example as the objective sees it ({@code EncodedExample} for SFT)
 */
public final class Trainer<E> {
  private final ForwardPass forward;
  private final Map<String, NDArray> trainable;
  private final NDManager manager;
  private final TrainingObjective<E> objective;
  private final List<E> train;
  private final List<E> holdout;
  private final TrainerConfig config;
  private final List<TrainingListener> listeners;

  private Trainer(Builder<E> b) {
    this.forward = Objects.requireNonNull(b.forward, "setForward is required");
    this.trainable = new LinkedHashMap<>(Objects.requireNonNull(b.trainable, "setTrainable is required"));
    this.manager = Objects.requireNonNull(b.manager, "setManager is required");
    this.objective = Objects.requireNonNull(b.objective(), "setCollator is required");
    this.train = Objects.requireNonNull(b.train, "setTrainData is required");
    this.holdout = b.holdout == null ? List.of() : b.holdout;
    this.config = Objects.requireNonNull(b.config, "setConfig is required");
    this.listeners = List.copyOf(b.listeners);
    if (train.isEmpty()) {
      throw new IllegalArgumentException("the training data is empty");
    }
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("no arrays to train");
    }
  }

  /** A supervised fine-tuning trainer: token cross-entropy on encoded examples ({@link SftObjective}). */
  public static Builder<EncodedExample> builder() {
    return new Builder<>(null);
  }

  /**
   * A trainer for another objective (a preference loss, say) over its own example type.
   *
   * @param objective the loss and how examples weigh
   * @param <E> the example type
   * @return the builder
   */
  public static <E> Builder<E> builder(TrainingObjective<E> objective) {
    return new Builder<>(Objects.requireNonNull(objective, "objective"));
  }

  /**
   * Returns the number of updates the run makes.
   *
   * @return maxSteps, or the updates in {@code epochs} passes over the data
   */
  public int totalSteps() {
    if (config.maxSteps() > 0) {
      return config.maxSteps();
    }
    int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
    return config.epochs() * Math.max(1, batches / config.gradAccumulation());
  }

  /**
   * Trains until the planned steps are done, the holdout stops improving, or the loss stops being
   * finite; resumes from the newest checkpoint in the output folder if there is one.
   *
   * @return how it ended
   * @throws IOException if a checkpoint cannot be written or read
   */
  public TrainingResult fit() throws IOException {
    OutputLocation.check("output_dir", config.outputDir());
    int totalSteps = totalSteps();
    int warmup =
        config.warmupSteps() > 0
            ? config.warmupSteps()
            : LrSchedule.warmupFromRatio(config.warmupRatio(), totalSteps);
    LrSchedule schedule = new LrSchedule(config.schedule(), config.lr(), warmup, totalSteps);
    LossScaler scaler =
        config.lossScaling()
            ? LossScaler.dynamic(config.initialLossScale(), config.lossScaleGrowthInterval())
            : LossScaler.disabled();
    TrainingCheckpoints checkpoints =
        config.outputDir() == null ? null : new TrainingCheckpoints(config.outputDir());
    if (checkpoints != null) {
      checkpoints.removeUnfinished(); // what a process killed mid-save left behind
    }
    int[] lengths = train.stream().mapToInt(objective::length).toArray();
    BatchOrder order = new BatchOrder(lengths, config.batchSize(), config.seed(), config.groupByLength());
    TrainingStep<E> step = new TrainingStep<>(forward, trainable, manager, objective, config.maxGradNorm());

    try (AdamW adamw = new AdamW(trainable, config.adamw())) {
      Run run = new Run(TrainerState.start(config.seed(), scaler.scale()));
      if (checkpoints != null) {
        Optional<Path> latest = checkpoints.latest();
        if (latest.isPresent()) {
          run.state = resume(latest.get(), adamw, scaler);
          run.last = latest.get();
        }
      }
      run.best = bestCheckpoint(run.state);
      run.position(order, run.state.epoch(), run.state.batchInEpoch());

      while (run.state.step() < totalSteps) {
        List<List<E>> micro = nextMicroBatches(run, order);
        long stepNumber = run.state.step() + 1;
        double lr = schedule.lr(run.state.step());
        double lossScale = scaler.scale();
        long startNanos = System.nanoTime();
        TrainingStep.Update update = update(step, micro, run.state.step(), lr, scaler, adamw);
        double seconds = (System.nanoTime() - startNanos) / 1e9;

        if (!Double.isFinite(update.loss()) || (!update.skipped() && !Double.isFinite(update.gradNorm()))) {
          String what = Double.isFinite(update.loss()) ? "the gradient norm" : "the loss";
          return end(
              StopReason.NON_FINITE,
              nonFiniteMessage(stepNumber, what, run.lastGoodLoss, lr, run.last),
              run.state.step(), run);
        }
        run.lastGoodLoss = update.loss();
        run.losses.add(update.loss());
        if (update.skipped()) {
          run.skipped.add(stepNumber);
        }
        run.state = run.state.afterStep(run.epoch, run.position, scaler.scale(), scaler.goodSteps());
        double epochs = run.epoch + (double) run.position / run.epochBatches.size();
        StepReport report =
            new StepReport(
                stepNumber, totalSteps, epochs, update.loss(), lr, update.gradNorm(),
                update.tokens() / Math.max(seconds, 1e-9), update.skipped(), lossScale,
                update.metrics());
        listeners.forEach(l -> l.onStep(report));

        boolean finished = stepNumber == totalSteps;
        boolean improved = false;
        boolean stop = false;
        if (!holdout.isEmpty()
            && (finished || (config.evalEvery() > 0 && stepNumber % config.evalEvery() == 0))) {
          improved = evaluate(run);
          stop = config.patience() > 0 && run.state.evalsWithoutImprovement() >= config.patience();
        }
        boolean requested = !finished && listeners.stream().anyMatch(TrainingListener::stopRequested);
        boolean due = config.checkpointEvery() > 0 && stepNumber % config.checkpointEvery() == 0;
        if (checkpoints != null && (due || finished || stop || improved || requested)) {
          checkpoint(run, checkpoints, adamw, improved);
        }
        if (requested && !stop) {
          return end(
              StopReason.STOPPED,
              String.format(Locale.ROOT, "stopped at step %d: a listener asked to stop", stepNumber),
              stepNumber, run);
        }
        if (stop) {
          return end(
              StopReason.EARLY_STOPPED,
              String.format(Locale.ROOT,
                  "stopped early at step %d: the holdout loss has not improved for %d evaluations;"
                      + " the best, %.4f, was at step %d",
                  stepNumber, config.patience(), run.state.bestEvalLoss(), run.state.bestStep()),
              stepNumber, run);
        }
      }
      return end(
          StopReason.COMPLETED,
          String.format(Locale.ROOT, "trained %d steps, last loss %.4f%s", run.state.step(),
              run.losses.isEmpty() ? Double.NaN : run.losses.get(run.losses.size() - 1),
              run.state.bestEvalLoss() == null ? ""
                  : String.format(Locale.ROOT, ", best holdout loss %.4f at step %d",
                      run.state.bestEvalLoss(), run.state.bestStep())),
          run.state.step(), run);
    }
  }

  /** The loop's working state between the named steps of {@link #fit()}. */
  private final class Run {
    TrainerState state;
    int epoch;
    int position;
    List<List<Integer>> epochBatches;
    Path last;
    Path best;
    double lastGoodLoss = Double.NaN;
    final List<Double> losses = new ArrayList<>();
    final List<EvalReport> evaluations = new ArrayList<>();
    final List<Long> skipped = new ArrayList<>();

    Run(TrainerState state) {
      this.state = state;
    }

    void position(BatchOrder order, int atEpoch, int atBatch) {
      epoch = atEpoch;
      position = atBatch;
      epochBatches = order.epoch(atEpoch);
    }
  }

  /** The next update's micro-batches, moving to the next epoch's order at an epoch's end. */
  private List<List<E>> nextMicroBatches(Run run, BatchOrder order) {
    List<List<E>> micro = new ArrayList<>();
    for (int i = 0; i < config.gradAccumulation(); i++) {
      if (run.position == run.epochBatches.size()) {
        run.position(order, run.epoch + 1, 0);
      }
      micro.add(run.epochBatches.get(run.position++).stream().map(train::get).toList());
    }
    return micro;
  }

  /** One update in training mode, its dropout reseeded from (seed, step). */
  private TrainingStep.Update update(
      TrainingStep<E> step, List<List<E>> micro, long done, double lr, LossScaler scaler,
      AdamW adamw) {
    // Dropout's generator is reseeded from (seed, step): a resumed run draws the same masks.
    Engine.getInstance().setRandomSeed(stepSeed(config.seed(), done));
    forward.setTraining(true);
    try {
      return step.run(micro, lr, scaler, adamw);
    } finally {
      forward.setTraining(false);
    }
  }

  /** Scores the holdout, records the evaluation and reports it; returns whether it improved. */
  private boolean evaluate(Run run) {
    TrainingObjective.Evaluation eval =
        objective.evaluate(forward, holdout, config.batchSize(), manager);
    boolean improved = run.state.improves(eval.loss());
    run.state = run.state.afterEval(eval.loss());
    EvalReport report =
        new EvalReport(
            run.state.step(), eval.loss(), Math.exp(eval.loss()), eval.units(), improved,
            eval.metrics());
    run.evaluations.add(report);
    listeners.forEach(l -> l.onEvaluation(report));
    return improved;
  }

  /** Saves a checkpoint, keeps the best, prunes the rest and tells the listeners. */
  private void checkpoint(Run run, TrainingCheckpoints checkpoints, AdamW adamw, boolean improved)
      throws IOException {
    run.last = checkpoints.save(trainable, adamw.state(), run.state);
    if (improved) {
      run.best = run.last;
    }
    checkpoints.prune(config.keepCheckpoints(), run.best);
    Path saved = run.last;
    long stepNumber = run.state.step();
    listeners.forEach(l -> l.onCheckpoint(saved, stepNumber));
  }

  private static int stepSeed(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step; // a SplitMix64 finaliser spreads neighbouring steps
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) (z ^ (z >>> 31));
  }

  private TrainerState resume(Path checkpoint, AdamW adamw, LossScaler scaler) throws IOException {
    TrainerState state = TrainingCheckpoints.readState(checkpoint);
    if (state.seed() != config.seed()) {
      throw new IllegalStateException(
          checkpoint + " was trained with seed " + state.seed() + " but this run has seed "
              + config.seed() + "; use the same seed to resume, or another output folder");
    }
    TrainingCheckpoints.readArrays(checkpoint.resolve(TrainingCheckpoints.WEIGHTS), trainable);
    Map<String, NDArray> moments = adamw.state();
    TrainingCheckpoints.readArrays(checkpoint.resolve(TrainingCheckpoints.OPTIMIZER), moments);
    adamw.load(moments, state.step());
    scaler.restore(state.lossScale(), state.goodSteps());
    return state;
  }

  private Path bestCheckpoint(TrainerState state) {
    if (config.outputDir() == null || state.bestEvalLoss() == null) {
      return null;
    }
    Path dir = config.outputDir().resolve("checkpoint-" + state.bestStep());
    return Files.isDirectory(dir) ? dir : null;
  }

  private static String nonFiniteMessage(long step, String what, double lastGoodLoss, double lr, Path last) {
    return String.format(Locale.ROOT,
        "stopped at step %d: %s became NaN or infinite (the last finite loss was %.4f). The"
            + " weights were not updated with it and nothing was saved after it; %s. Try a lower"
            + " learning rate (this step used %.2e), gradient clipping (maxGradNorm, for example"
            + " 1.0), warmup, or float32 instead of float16.",
        step, what, lastGoodLoss,
        last == null ? "no checkpoint had been written yet" : "the last good checkpoint is " + last,
        lr);
  }

  private TrainingResult end(StopReason reason, String message, long steps, Run run) {
    String withSkips =
        run.skipped.isEmpty()
            ? message
            : String.format(Locale.ROOT,
                "%s; %d step(s) skipped because float16 gradients overflowed (the loss scale was"
                    + " halved after each): %s", message, run.skipped.size(), run.skipped);
    TrainingResult result =
        new TrainingResult(
            reason, withSkips, steps, run.losses, run.evaluations, run.last, run.best, run.skipped);
    listeners.forEach(l -> l.onEnd(result));
    return result;
  }

  /**
   * Builds a {@link Trainer}.
   *
   * @param <E> the example type
   */
  public static final class Builder<E> {
    private final TrainingObjective<E> objective;
    private ForwardPass forward;
    private Map<String, NDArray> trainable;
    private NDManager manager;
    private SftCollator collator;
    private List<E> train;
    private List<E> holdout;
    private TrainerConfig config;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Builder(TrainingObjective<E> objective) {
      this.objective = objective;
    }

    /**
     * Trains a model prepared for a fine-tuning method: its forward pass, its trainable arrays and
     * its base model's manager.
     */
    public Builder<E> setAdaptedModel(AdaptedModel model) {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (NamedArray a : model.trainableArrays()) {
        arrays.put(a.name(), a.array());
      }
      return setForward(model).setTrainable(arrays).setManager(model.base().manager());
    }

    /** How to compute logits (for a plain model, {@link ForwardPass#of}). */
    public Builder<E> setForward(ForwardPass value) {
      forward = value;
      return this;
    }

    /**
     * The arrays to train, by name; they are switched to require gradients.
     */
    public Builder<E> setTrainable(Map<String, NDArray> value) {
      trainable = value;
      value.values().forEach(a -> a.setRequiresGradient(true));
      return this;
    }

    /** The manager whose sub-managers hold each step's arrays (usually the model's). */
    public Builder<E> setManager(NDManager value) {
      manager = value;
      return this;
    }

    /** Supervised fine-tuning: pads the batches; the objective is {@link SftObjective}. */
    public Builder<E> setCollator(SftCollator value) {
      collator = value;
      return this;
    }

    /** Supervised fine-tuning's encoded training data. */
    public Builder<E> setTrainData(EncodedDataset value) {
      return setTrainData(encoded(value));
    }

    /** The training examples. */
    public Builder<E> setTrainData(List<E> value) {
      train = List.copyOf(value);
      return this;
    }

    /** The holdout to evaluate on; without one there is no evaluation or early stopping. */
    public Builder<E> optHoldout(EncodedDataset value) {
      return optHoldout(encoded(value));
    }

    /** The holdout examples to evaluate on. */
    public Builder<E> optHoldout(List<E> value) {
      holdout = List.copyOf(value);
      return this;
    }

    public Builder<E> setConfig(TrainerConfig value) {
      config = value;
      return this;
    }

    public Builder<E> optListener(TrainingListener value) {
      listeners.add(Objects.requireNonNull(value));
      return this;
    }

    public Trainer<E> build() {
      return new Trainer<>(this);
    }

    /** The given objective, else supervised fine-tuning's over the collator. */
    @SuppressWarnings("unchecked") // builder() makes E EncodedExample whenever objective is null
    private TrainingObjective<E> objective() {
      if (objective != null) {
        return objective;
      }
      return collator == null ? null : (TrainingObjective<E>) new SftObjective(collator);
    }

    @SuppressWarnings("unchecked") // an EncodedDataset is given only to an SFT builder
    private List<E> encoded(EncodedDataset value) {
      if (objective != null && !(objective instanceof SftObjective)) {
        throw new IllegalArgumentException(
            "encoded SFT data given to a trainer for " + objective.getClass().getSimpleName());
      }
      return (List<E>) value.examples();
    }
  }
}
