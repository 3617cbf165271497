package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.track.DatasetFingerprint;
import org.tuninglab.track.RunDatasets;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.RunStore;
import org.tuninglab.track.sweep.Sweep;
import org.tuninglab.track.sweep.TrialState;
import org.tuninglab.track.sweep.Worker;
import org.tuninglab.track.view.RunProvenance;
import org.tuninglab.train.StepReport;
import org.tuninglab.train.TrainingListener;

class SftTrialTest {

  @Test
  void aSweepOfTwoShortLoraTrialsRecordsEachRunsConfigDataAndCurves(@TempDir Path dir) throws Exception {
    Lab lab = Lab.choose(Lab.EMBEDDED, "cpu", Map.of(), Path.of("").toAbsolutePath());
    String spec = """
        name: tiny
        method: random
        metric: {name: eval/loss, goal: minimize}
        parameters:
          preset: {value: %s}
          lr: {values: [0.001, 0.01]}
          max_steps: {value: 2}
          eval_every: {value: 1}
          batch_size: {value: 4}
          holdout_fraction: {value: 0.01}
        run_cap: 2
        seed: 1
        """.formatted(lab.preset("lora"));
    Sweep sweep = Sweep.create(RunStore.open(dir), spec, "test", null);
    int[] steps = {0};
    TrainingListener counting = new TrainingListener() {
      @Override
      public void onStep(StepReport report) {
        steps[0]++;
      }
    };
    int ran = Worker.builder().setSweep(sweep).setFunction(new SftTrial(List.of(counting))).build().run();

    assertEquals(2, ran);
    assertEquals(4, steps[0], "the notebook's listener sees every step of both trials");
    for (var trial : sweep.trials()) {
      assertEquals(TrialState.FINISHED, trial.state(), trial.error());
      RunRecord run = sweep.store().run(trial.runId());
      assertEquals(2, run.history("eval/loss").size());
      assertEquals(2, run.history("train/loss").size());
      assertTrue(Double.isFinite(run.value("eval/loss").getAsDouble()));
      Path config = Path.of(run.artifacts().get("config"));
      assertTrue(Files.readString(config).contains("lr: " + trial.params().get("lr")), Files.readString(config));
      List<DatasetFingerprint> data = RunDatasets.of(run);
      assertEquals(List.of("train"), data.stream().map(DatasetFingerprint::name).toList());
      assertEquals(DatasetFingerprint.of("train", lab.path("datasets/entities/entities.jsonl")).sha256(), data.get(0).sha256());
      var provenance = RunProvenance.of(run).stringColumn("recorded").asList();
      assertTrue(provenance.containsAll(List.of("config lr", "code", "data train", "java", "djl", "pytorch", "cpu", "memory", "device")),
          provenance.toString());
    }
    assertFalse(sweep.progress().best() == null);
  }
}
