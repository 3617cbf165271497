package org.tuninglab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
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
import org.tuninglab.data.Batch;
import org.tuninglab.data.BatchOrder;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;
import org.tuninglab.io.OutputLocation;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.OwnedScalar;
import org.tuninglab.peft.AdaptedModel;

/**
 * The supervised fine-tuning loop: micro-batches, gradient accumulation normalised over tokens,
 * clipping, AdamW, the schedule, holdout evaluation, checkpoints, resume and early stopping.
 *
 * <p>What is trained is whatever arrays the caller hands in (all weights for a full fine-tune,
 * adapters for LoRA), so every fine-tuning method shares this loop. Accumulation divides each
 * micro-batch's summed loss by the trained tokens of the whole update, so k micro-batches give the
 * update of one k-times-larger batch.
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
 */
public final class Trainer {
  private final ForwardPass forward;
  private final Map<String, NDArray> trainable;
  private final NDManager manager;
  private final SftCollator collator;
  private final EncodedDataset train;
  private final EncodedDataset holdout;
  private final TrainerConfig config;
  private final List<TrainingListener> listeners;

  private Trainer(Builder b) {
    this.forward = Objects.requireNonNull(b.forward, "setForward is required");
    this.trainable = new LinkedHashMap<>(Objects.requireNonNull(b.trainable, "setTrainable is required"));
    this.manager = Objects.requireNonNull(b.manager, "setManager is required");
    this.collator = Objects.requireNonNull(b.collator, "setCollator is required");
    this.train = Objects.requireNonNull(b.train, "setTrainData is required");
    this.holdout = b.holdout;
    this.config = Objects.requireNonNull(b.config, "setConfig is required");
    this.listeners = List.copyOf(b.listeners);
    if (train.size() == 0) {
      throw new IllegalArgumentException("the training data is empty");
    }
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("no arrays to train");
    }
  }

  public static Builder builder() {
    return new Builder();
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
    int[] lengths = train.examples().stream().mapToInt(EncodedExample::length).toArray();
    BatchOrder order = new BatchOrder(lengths, config.batchSize(), config.seed(), config.groupByLength());

    List<Double> losses = new ArrayList<>();
    List<EvalReport> evaluations = new ArrayList<>();
    List<Long> skipped = new ArrayList<>();
    try (AdamW adamw = new AdamW(trainable, config.adamw())) {
      TrainerState state = TrainerState.start(config.seed(), scaler.scale());
      Path last = null;
      if (checkpoints != null) {
        Optional<Path> latest = checkpoints.latest();
        if (latest.isPresent()) {
          state = resume(latest.get(), adamw, scaler);
          last = latest.get();
        }
      }
      Path best = bestCheckpoint(state);
      List<List<Integer>> epochBatches = order.epoch(state.epoch());
      int epoch = state.epoch();
      int position = state.batchInEpoch();
      double lastGoodLoss = Double.NaN;

      while (state.step() < totalSteps) {
        List<List<EncodedExample>> micro = new ArrayList<>();
        for (int i = 0; i < config.gradAccumulation(); i++) {
          if (position == epochBatches.size()) {
            epoch++;
            position = 0;
            epochBatches = order.epoch(epoch);
          }
          micro.add(epochBatches.get(position++).stream().map(train.examples()::get).toList());
        }
        long stepNumber = state.step() + 1;
        double lr = schedule.lr(state.step());
        long startNanos = System.nanoTime();
        // Dropout's generator is reseeded from (seed, step): a resumed run draws the same masks.
        Engine.getInstance().setRandomSeed(stepSeed(config.seed(), state.step()));
        forward.setTraining(true);
        double lossScale = scaler.scale();
        Update update = update(micro, lr, scaler, adamw);
        forward.setTraining(false);
        double seconds = (System.nanoTime() - startNanos) / 1e9;

        if (!Double.isFinite(update.loss) || (!update.skipped && !Double.isFinite(update.gradNorm))) {
          String what = Double.isFinite(update.loss) ? "the gradient norm" : "the loss";
          return end(
              StopReason.NON_FINITE,
              nonFiniteMessage(stepNumber, what, lastGoodLoss, lr, last),
              state.step(), losses, evaluations, last, best, skipped);
        }
        lastGoodLoss = update.loss;
        losses.add(update.loss);
        if (update.skipped) {
          skipped.add(stepNumber);
        }
        state =
            new TrainerState(
                stepNumber, epoch, position, state.seed(), state.bestEvalLoss(), state.bestStep(),
                state.evalsWithoutImprovement(), scaler.scale(), scaler.goodSteps());
        double epochs = epoch + (double) position / epochBatches.size();
        StepReport report =
            new StepReport(
                stepNumber, totalSteps, epochs, update.loss, lr, update.gradNorm,
                update.tokens / Math.max(seconds, 1e-9), update.skipped, lossScale);
        listeners.forEach(l -> l.onStep(report));

        boolean finished = stepNumber == totalSteps;
        boolean stop = false;
        boolean improved = false;
        if (holdout != null && holdout.size() > 0
            && (finished || (config.evalEvery() > 0 && stepNumber % config.evalEvery() == 0))) {
          TokenLoss eval = HoldoutLoss.compute(forward, collator, holdout, config.batchSize(), manager);
          improved = state.bestEvalLoss() == null || eval.mean() < state.bestEvalLoss();
          state =
              new TrainerState(
                  state.step(), epoch, position, state.seed(),
                  improved ? eval.mean() : state.bestEvalLoss(),
                  improved ? stepNumber : state.bestStep(),
                  improved ? 0 : state.evalsWithoutImprovement() + 1,
                  state.lossScale(), state.goodSteps());
          EvalReport evalReport = new EvalReport(stepNumber, eval.mean(), eval.perplexity(), eval.tokens(), improved);
          evaluations.add(evalReport);
          listeners.forEach(l -> l.onEvaluation(evalReport));
          stop = config.patience() > 0 && state.evalsWithoutImprovement() >= config.patience();
        }
        boolean requested = !finished && listeners.stream().anyMatch(TrainingListener::stopRequested);
        boolean due = config.checkpointEvery() > 0 && stepNumber % config.checkpointEvery() == 0;
        if (checkpoints != null && (due || finished || stop || improved || requested)) {
          last = checkpoints.save(trainable, adamw.state(), state);
          if (improved) {
            best = last;
          }
          checkpoints.prune(config.keepCheckpoints(), best);
          Path saved = last;
          listeners.forEach(l -> l.onCheckpoint(saved, stepNumber));
        }
        if (requested && !stop) {
          return end(
              StopReason.STOPPED,
              String.format(Locale.ROOT, "stopped at step %d: a listener asked to stop", stepNumber),
              stepNumber, losses, evaluations, last, best, skipped);
        }
        if (stop) {
          return end(
              StopReason.EARLY_STOPPED,
              String.format(Locale.ROOT,
                  "stopped early at step %d: the holdout loss has not improved for %d evaluations;"
                      + " the best, %.4f, was at step %d",
                  stepNumber, config.patience(), state.bestEvalLoss(), state.bestStep()),
              stepNumber, losses, evaluations, last, best, skipped);
        }
      }
      return end(
          StopReason.COMPLETED,
          String.format(Locale.ROOT, "trained %d steps, last loss %.4f%s", state.step(),
              losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1),
              state.bestEvalLoss() == null ? ""
                  : String.format(Locale.ROOT, ", best holdout loss %.4f at step %d",
                      state.bestEvalLoss(), state.bestStep())),
          state.step(), losses, evaluations, last, best, skipped);
    }
  }

  private static int stepSeed(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step; // a SplitMix64 finaliser spreads neighbouring steps
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) (z ^ (z >>> 31));
  }

  /** The outcome of one update. */
  private record Update(double loss, double gradNorm, long tokens, boolean skipped) {}

  /** Accumulates the micro-batches' gradients, then clips and steps (or skips on fp16 overflow). */
  private Update update(List<List<EncodedExample>> micro, double lr, LossScaler scaler, AdamW adamw) {
    long trainedTokens = 0;
    long inputTokens = 0;
    for (List<EncodedExample> batch : micro) {
      for (EncodedExample e : batch) {
        trainedTokens += e.trainedCount() - (e.trained()[0] ? 1 : 0); // the first token has no label
        inputTokens += e.length();
      }
    }
    // Autograd is on only inside each micro-batch's collector: zeroing, unscaling, clipping and
    // the optimizer write gradients and parameters in place, whatever the calling thread's mode.
    try (NoGrad off = NoGrad.enter();
        NDManager scope = manager.newSubManager()) {
      for (NDArray param : trainable.values()) {
        try (NDArray grad = param.getGradient()) {
          grad.set(new NDIndex("..."), 0f); // the collector adds to gradients, never clears them
        }
      }
      double lossSum = 0;
      for (List<EncodedExample> examples : micro) {
        try (NDManager step = scope.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          Batch batch = collator.collate(examples, step);
          NDArray logits = forward.logits(batch.inputIds(), batch.attentionMask()); // (B, T, V)
          NDArray sum = TokenCrossEntropy.sum(logits, batch.labels());
          lossSum += sum.getFloat();
          double weight = scaler.scale() / Math.max(1, trainedTokens);
          collector.backward(sum.mul(OwnedScalar.of(step, weight)));
        }
      }
      // Fetched after backward: with grad mode on, PyTorch may replace a gradient tensor rather
      // than add to it in place, so a handle taken earlier can be stale.
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (var e : trainable.entrySet()) {
        NDArray grad = e.getValue().getGradient();
        grad.attach(scope); // the handle, not the gradient itself, is freed with the scope
        // Half-precision gradients are unscaled, clipped and applied in float32 (a copy in scope).
        grads.put(e.getKey(), grad.toType(DataType.FLOAT32, false));
      }
      double loss = lossSum / Math.max(1, trainedTokens);
      if (!Double.isFinite(loss) && !scaler.enabled()) {
        return new Update(loss, Double.NaN, inputTokens, false);
      }
      boolean finite = scaler.unscale(grads.values());
      scaler.update(finite);
      if (!finite) {
        return new Update(Double.isFinite(loss) ? loss : Double.NaN, Double.NaN, inputTokens, true);
      }
      double norm = GradientClipping.clip(grads.values(), config.maxGradNorm());
      if (Double.isFinite(norm)) {
        adamw.step(lr, grads);
      }
      return new Update(loss, norm, inputTokens, false);
    }
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

  private TrainingResult end(
      StopReason reason, String message, long steps, List<Double> losses,
      List<EvalReport> evaluations, Path last, Path best, List<Long> skipped) {
    String withSkips =
        skipped.isEmpty()
            ? message
            : String.format(Locale.ROOT,
                "%s; %d step(s) skipped because float16 gradients overflowed (the loss scale was"
                    + " halved after each): %s", message, skipped.size(), skipped);
    TrainingResult result =
        new TrainingResult(reason, withSkips, steps, losses, evaluations, last, best, skipped);
    listeners.forEach(l -> l.onEnd(result));
    return result;
  }

  /** Builds a {@link Trainer}. */
  public static final class Builder {
    private ForwardPass forward;
    private Map<String, NDArray> trainable;
    private NDManager manager;
    private SftCollator collator;
    private EncodedDataset train;
    private EncodedDataset holdout;
    private TrainerConfig config;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Trains a model prepared for a fine-tuning method: its forward pass, its trainable arrays and
     * its base model's manager.
     */
    public Builder setAdaptedModel(AdaptedModel model) {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (NamedArray a : model.trainableArrays()) {
        arrays.put(a.name(), a.array());
      }
      return setForward(ForwardPass.of(model)).setTrainable(arrays).setManager(model.base().manager());
    }

    /** How to compute logits (for a plain model, {@link ForwardPass#of}). */
    public Builder setForward(ForwardPass value) {
      forward = value;
      return this;
    }

    /**
     * The arrays to train, by name; they are switched to require gradients.
     */
    public Builder setTrainable(Map<String, NDArray> value) {
      trainable = value;
      value.values().forEach(a -> a.setRequiresGradient(true));
      return this;
    }

    /** The manager whose sub-managers hold each step's arrays (usually the model's). */
    public Builder setManager(NDManager value) {
      manager = value;
      return this;
    }

    /** Pads the batches. */
    public Builder setCollator(SftCollator value) {
      collator = value;
      return this;
    }

    public Builder setTrainData(EncodedDataset value) {
      train = value;
      return this;
    }

    /** The holdout to evaluate on; without one there is no evaluation or early stopping. */
    public Builder optHoldout(EncodedDataset value) {
      holdout = value;
      return this;
    }

    public Builder setConfig(TrainerConfig value) {
      config = value;
      return this;
    }

    public Builder optListener(TrainingListener value) {
      listeners.add(Objects.requireNonNull(value));
      return this;
    }

    public Trainer build() {
      return new Trainer(this);
    }
  }
}
