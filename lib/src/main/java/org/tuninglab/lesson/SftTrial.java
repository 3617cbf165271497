package org.tuninglab.lesson;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.track.Run;
import org.tuninglab.track.RunDatasets;
import org.tuninglab.track.TrackException;
import org.tuninglab.track.sweep.Trial;
import org.tuninglab.track.sweep.TrialFunction;
import org.tuninglab.train.RunTrackingListener;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.TrainingListener;

/**
 * A sweep trial that fine-tunes: a preset with the trial's parameters as config keys, trained and
 * logged to the trial's run ({@code train/loss}, {@code eval/loss}, ...), stopped early when the
 * sweep's ASHA rule prunes it. The same class runs in a notebook and in a Slurm array task
 * ({@code objective: org.tuninglab.lesson.SftTrial} in the spec).
 *
 * <p>Parameters: {@code preset} (a config file, required), {@code model} ({@link Lab#EMBEDDED} by
 * default) and {@code device} ({@code cpu} by default) pick what {@link Lab} would; every other
 * parameter is a config key ({@code lr}, {@code lora_r}, {@code max_steps}, {@code eval_every}).
 * Each trial's run records the derived config file as artefact {@code config} and the data sets'
 * hashes. Nothing is checkpointed: a trial is short and a preempted one starts again.
 */
public final class SftTrial implements TrialFunction {

  private static final Set<String> LAB_KEYS = Set.of("preset", "model", "device");

  private final List<TrainingListener> listeners;

  /** What a worker process instantiates. */
  public SftTrial() {
    this(List.of());
  }

  /** With listeners of the notebook (a live view) beside the run store's. */
  public SftTrial(List<TrainingListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void run(Trial trial) throws IOException {
    Map<String, Object> params = trial.params();
    if (!(params.get("preset") instanceof String preset)) {
      throw new TrackException("sweep " + trial.sweep().name() + ": SftTrial needs a parameter 'preset' (a config file, e.g. {value: configs/tuninglab-tiny-lora.yaml}); it has " + params.keySet());
    }
    Path presetFile = Path.of(preset).toAbsolutePath();
    Lab lab = new Lab(String.valueOf(params.getOrDefault("model", Lab.EMBEDDED)),
        String.valueOf(params.getOrDefault("device", "cpu")), Lab.findRoot(presetFile.getParent()));
    Map<String, Object> overrides = new LinkedHashMap<>(params);
    overrides.keySet().removeAll(LAB_KEYS);
    Run run = trial.run();
    Path configFile = run.dir().resolve("config.yaml");
    SftConfig config = lab.config(presetFile, overrides, configFile).withOutputDir(null);
    run.artifact("config", configFile);
    RunDatasets.record(run, "train", config.data().trainFile());
    if (config.data().evalFile() != null) {
      RunDatasets.record(run, "eval", config.data().evalFile());
    }
    List<TrainingListener> all = new ArrayList<>();
    all.add(new RunTrackingListener(trial, false));
    all.addAll(listeners);
    try (PretrainedModel model =
        LanguageModel.loadPretrained(config.model(), lab.djlDevice(), config.precision().dataType())) {
      SftRecipe.run(config, model, all.toArray(TrainingListener[]::new));
    }
  }
}
