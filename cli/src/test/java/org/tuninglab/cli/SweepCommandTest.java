package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SweepCommandTest {

  @TempDir Path tmp;

  private int run(StringWriter err, String... args) {
    CommandLine cl = TuningLab.commandLine();
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void createRunAndDryRunLaunch() throws Exception {
    Path spec = Files.writeString(tmp.resolve("s.yaml"), """
        name: demo
        method: grid
        metric: {name: eval_loss}
        parameters:
          lr: {values: [1.0e-4, 3.0e-4]}
          epochs: {value: 2}
        """);
    String store = tmp.resolve("store").toString();
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "sweep", "create", spec.toString(), "--store", store));
    assertEquals(2, run(err, "sweep", "create", spec.toString(), "--store", store));
    assertTrue(err.toString().contains("a sweep named 'demo' already exists"), err.toString());
    assertEquals(0, run(err, "sweep", "run", "demo", "--store", store));
    assertEquals(0, run(err, "sweep", "launch", "demo", "--store", store, "--dry-run", "--array", "3",
        "--gpus", "1", "--module", "cuda", "--worker-command", "./tuninglab sweep agent"));
    Path launches = tmp.resolve("store/sweeps/demo/launches");
    try (var files = Files.list(launches)) {
      Path script = files.filter(p -> p.toString().endsWith(".sbatch")).findFirst().orElseThrow();
      String text = Files.readString(script);
      assertTrue(text.contains("#SBATCH --array=0-2\n") && text.contains("#SBATCH --gpus=1\n")
          && text.contains("module load cuda\n") && text.contains("exec ./tuninglab sweep agent --store "), text);
    }
  }
}
