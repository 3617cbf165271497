package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tuninglab.track.Run;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.track.RunLogger;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.RunStatus;

/**
 * Logs a training run into the run store: step metrics ({@code train/loss}, {@code train/lr},
 * {@code train/grad_norm}, {@code train/tokens_per_s}), holdout metrics ({@code eval/loss}, {@code
 * eval/perplexity}), an objective's own metrics under their names (a preference run's TRL names:
 * {@code rewards/margins} per step, {@code eval_rewards/accuracies} on the holdout), checkpoints as artefacts, and a summary at the end. Inside a sweep it stops
 * training when the sweep prunes the trial.
 */
public final class RunTrackingListener implements TrainingListener {
  private final RunLogger logger;
  private final boolean endsRun;

  /**
   * @param logger a {@link Run} or a sweep trial
   * @param endsRun whether {@link #onEnd} also finishes (or fails) the run; false when its owner,
   *     such as a sweep worker, ends it
   */
  public RunTrackingListener(RunLogger logger, boolean endsRun) {
    this.logger = logger;
    this.endsRun = endsRun;
  }

  /**
   * The listener for a recipe run in a run store. The run's id is kept in the output folder, so
   * rerunning the same config (which resumes from its newest checkpoint) appends to the same run.
   */
  public static RunTrackingListener forRecipe(RunStore store, SftConfig config) throws IOException {
    return forRecipe(
        store, config, config.trainer().outputDir(), config.data().trainFile(), config.data().evalFile());
  }

  /** The listener for a preference recipe's run, kept in its output folder like an SFT run's. */
  public static RunTrackingListener forRecipe(RunStore store, DpoConfig config) throws IOException {
    return forRecipe(
        store, config, config.trainer().outputDir(), config.data().trainFile(), config.data().evalFile());
  }

  private static RunTrackingListener forRecipe(
      RunStore store, Object config, Path output, Path trainFile, Path evalFile) throws IOException {
    Path idFile = output.resolve("run_id");
    Run run;
    if (Files.exists(idFile)) {
      run = store.resume(Files.readString(idFile).strip());
    } else {
      var builder = store.newRun().optName(output.getFileName().toString()).optConfig(config);
      builder.optDataset("train", trainFile);
      if (evalFile != null) {
        builder.optDataset("eval", evalFile);
      }
      run = builder.start();
      AtomicFiles.writeString(idFile, run.id());
    }
    return new RunTrackingListener(run, true);
  }

  @Override
  public void onStep(StepReport r) {
    if (r.skipped()) {
      return; // an fp16 overflow step changed nothing
    }
    logger.log(r.step(), "train/loss", r.loss());
    logger.log(r.step(), "train/lr", r.lr());
    logger.log(r.step(), "train/grad_norm", r.gradNorm());
    logger.log(r.step(), "train/tokens_per_s", r.tokensPerSecond());
    r.metrics().forEach((name, value) -> logger.log(r.step(), name, value));
  }

  @Override
  public void onEvaluation(EvalReport r) {
    logger.log(r.step(), "eval/loss", r.loss());
    logger.log(r.step(), "eval/perplexity", r.perplexity());
    r.metrics().forEach((name, value) -> logger.log(r.step(), name, value));
  }

  @Override
  public void onCheckpoint(Path dir, long step) {
    logger.run().artifact("last_checkpoint", dir);
  }

  @Override
  public boolean stopRequested() {
    return logger.shouldStop();
  }

  @Override
  public void onEnd(TrainingResult result) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("stop_reason", result.reason().name().toLowerCase(java.util.Locale.ROOT));
    summary.put("steps", result.steps());
    if (!result.losses().isEmpty()) {
      summary.put("train/loss", result.losses().get(result.losses().size() - 1));
    }
    result.evaluations().stream()
        .mapToDouble(EvalReport::loss)
        .min()
        .ifPresent(best -> summary.put("eval/best_loss", best));
    Run run = logger.run();
    if (result.bestCheckpoint() != null) {
      run.artifact("best_checkpoint", result.bestCheckpoint());
    }
    summary.forEach(run::summary);
    if (!endsRun) {
      return;
    }
    if (result.reason() == StopReason.NON_FINITE) {
      run.end(RunStatus.FAILED, result.message());
    } else {
      run.finish(summary);
    }
  }
}
