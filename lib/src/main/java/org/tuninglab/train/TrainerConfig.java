package org.tuninglab.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to train: optimizer, schedule, batching, evaluation and checkpoints.
 *
 * @param lr the peak learning rate
 * @param schedule the schedule's shape after warmup
 * @param warmupSteps warmup updates; when 0, {@code warmupRatio} decides
 * @param warmupRatio warmup as a fraction of all updates (used when warmupSteps is 0)
 * @param adamw AdamW's betas, eps and weight decay
 * @param maxGradNorm the global gradient norm to clip to; 0 disables clipping
 * @param batchSize examples per micro-batch
 * @param gradAccumulation micro-batches per update; the update equals one k-times-larger batch
 * @param epochs passes over the training data (used when maxSteps is 0)
 * @param maxSteps updates to run; 0 means {@code epochs} worth
 * @param evalEvery evaluate on the holdout every this many updates (and at the end); 0 only at the end
 * @param patience stop after this many evaluations without improvement; 0 never stops early
 * @param checkpointEvery save a checkpoint every this many updates (and at the end); 0 only at the end
 * @param keepCheckpoints how many recent checkpoints to keep besides the best one
 * @param seed seeds the data order; all the run's randomness derives from it
 * @param groupByLength batch examples of similar length together (less padding)
 * @param lossScaling dynamic loss scaling, for float16 weights
 * @param initialLossScale the first loss scale (PyTorch's GradScaler starts at 65536)
 * @param lossScaleGrowthInterval good steps in a row before the loss scale doubles
 * @param outputDir where checkpoints go; null writes none
 */
public record TrainerConfig(
    double lr,
    ScheduleKind schedule,
    int warmupSteps,
    double warmupRatio,
    AdamWConfig adamw,
    double maxGradNorm,
    int batchSize,
    int gradAccumulation,
    int epochs,
    int maxSteps,
    int evalEvery,
    int patience,
    int checkpointEvery,
    int keepCheckpoints,
    long seed,
    boolean groupByLength,
    boolean lossScaling,
    double initialLossScale,
    int lossScaleGrowthInterval,
    Path outputDir) {

  /** Checks ranges. */
  public TrainerConfig {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(adamw, "adamw");
    requireAtLeast("batchSize", batchSize, 1);
    requireAtLeast("gradAccumulation", gradAccumulation, 1);
    requireAtLeast("warmupSteps", warmupSteps, 0);
    requireAtLeast("maxSteps", maxSteps, 0);
    requireAtLeast("evalEvery", evalEvery, 0);
    requireAtLeast("patience", patience, 0);
    requireAtLeast("checkpointEvery", checkpointEvery, 0);
    requireAtLeast("keepCheckpoints", keepCheckpoints, 1);
    requireAtLeast("lossScaleGrowthInterval", lossScaleGrowthInterval, 1);
    if (!(initialLossScale > 0) || Double.isInfinite(initialLossScale)) {
      throw new IllegalArgumentException(
          "initialLossScale must be finite and positive, got " + initialLossScale);
    }
    if (maxSteps == 0) {
      requireAtLeast("epochs", epochs, 1);
    }
    if (!(lr > 0) || !(maxGradNorm >= 0) || !(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new IllegalArgumentException(
          "need lr > 0, maxGradNorm >= 0 and warmupRatio in [0, 1], got " + lr + ", " + maxGradNorm
              + ", " + warmupRatio);
    }
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }

  /**
   * This config writing to another folder (a notebook's fresh run, so nothing resumes).
   *
   * @param dir the output folder, or null for none
   * @return the copy
   */
  public TrainerConfig withOutputDir(Path dir) {
    return new TrainerConfig(lr, schedule, warmupSteps, warmupRatio, adamw, maxGradNorm, batchSize,
        gradAccumulation, epochs, maxSteps, evalEvery, patience, checkpointEvery, keepCheckpoints,
        seed, groupByLength, lossScaling, initialLossScale, lossScaleGrowthInterval, dir);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TrainerConfig}; every field has a default, the learning rate 5e-5. */
  public static final class Builder {
    private double lr = 5e-5;
    private ScheduleKind schedule = ScheduleKind.LINEAR;
    private int warmupSteps;
    private double warmupRatio;
    private AdamWConfig adamw = AdamWConfig.DEFAULT;
    private double maxGradNorm = 1.0;
    private int batchSize = 4;
    private int gradAccumulation = 1;
    private int epochs = 1;
    private int maxSteps;
    private int evalEvery;
    private int patience;
    private int checkpointEvery;
    private int keepCheckpoints = 2;
    private long seed = 42;
    private boolean groupByLength;
    private boolean lossScaling;
    private double initialLossScale = 65536;
    private int lossScaleGrowthInterval = 2000;
    private Path outputDir;

    private Builder() {}

    public Builder optLr(double value) {
      lr = value;
      return this;
    }

    public Builder optSchedule(ScheduleKind value) {
      schedule = value;
      return this;
    }

    public Builder optWarmupSteps(int value) {
      warmupSteps = value;
      return this;
    }

    public Builder optWarmupRatio(double value) {
      warmupRatio = value;
      return this;
    }

    public Builder optAdamW(AdamWConfig value) {
      adamw = value;
      return this;
    }

    public Builder optMaxGradNorm(double value) {
      maxGradNorm = value;
      return this;
    }

    public Builder optBatchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder optGradAccumulation(int value) {
      gradAccumulation = value;
      return this;
    }

    public Builder optEpochs(int value) {
      epochs = value;
      return this;
    }

    public Builder optMaxSteps(int value) {
      maxSteps = value;
      return this;
    }

    public Builder optEvalEvery(int value) {
      evalEvery = value;
      return this;
    }

    public Builder optPatience(int value) {
      patience = value;
      return this;
    }

    public Builder optCheckpointEvery(int value) {
      checkpointEvery = value;
      return this;
    }

    public Builder optKeepCheckpoints(int value) {
      keepCheckpoints = value;
      return this;
    }

    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    public Builder optGroupByLength(boolean value) {
      groupByLength = value;
      return this;
    }

    public Builder optLossScaling(boolean value) {
      lossScaling = value;
      return this;
    }

    /** The first loss scale, when loss scaling is on (default 65536). */
    public Builder optInitialLossScale(double value) {
      initialLossScale = value;
      return this;
    }

    /** Good steps in a row before the loss scale doubles (default 2000). */
    public Builder optLossScaleGrowthInterval(int value) {
      lossScaleGrowthInterval = value;
      return this;
    }

    public Builder optOutputDir(Path value) {
      outputDir = value;
      return this;
    }

    public TrainerConfig build() {
      return new TrainerConfig(
          lr, schedule, warmupSteps, warmupRatio, adamw, maxGradNorm, batchSize, gradAccumulation,
          epochs, maxSteps, evalEvery, patience, checkpointEvery, keepCheckpoints, seed,
          groupByLength, lossScaling, initialLossScale, lossScaleGrowthInterval, outputDir);
    }
  }
}
