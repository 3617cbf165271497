package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps that cannot work say so: at create time, or by the exit code of the run. */
class SweepFailureTest {
  @TempDir Path tmp;

  private Path spec(String objective) throws IOException {
    return Files.writeString(tmp.resolve("s.yaml"), """
        name: demo
        method: grid
        metric: {name: eval_loss}
        objective: %s
        parameters:
          lr: {values: [1.0e-4, 3.0e-4]}
        """.formatted(objective));
  }

  @Test
  void createRejectsAnObjectiveClassThatDoesNotExist() throws IOException {
    StringWriter err = new StringWriter();
    String store = tmp.resolve("store").toString();
    assertEquals(2, CliRun.run(err, "sweep", "create", spec("org.example.NoSuchObjective").toString(),
        "--store", store));
    assertTrue(err.toString().contains("objective 'org.example.NoSuchObjective': no such class"),
        err.toString());
    assertFalse(Files.exists(tmp.resolve("store/sweeps/demo")), "no sweep was created");
  }

  @Test
  void runExitsNonZeroWhenEveryTrialFailed() throws IOException {
    StringWriter err = new StringWriter();
    String store = tmp.resolve("store").toString();
    assertEquals(0, CliRun.run(err, "sweep", "create", spec(FailingObjective.class.getName()).toString(),
        "--store", store), err.toString());
    assertEquals(1, CliRun.run(err, "sweep", "run", "demo", "--store", store), err.toString());
  }
}
