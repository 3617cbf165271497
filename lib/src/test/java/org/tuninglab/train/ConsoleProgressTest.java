package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  @Test
  void drawsABarAndEvaluationLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    progress.onStep(new StepReport(5, 10, 0.5, 2.25, 1e-4, 0.75, 1234.4, false, 1));
    progress.onEvaluation(new EvalReport(5, 2.0, Math.exp(2.0), 28, true));
    progress.onEnd(new TrainingResult(StopReason.COMPLETED, "done", 5, List.of(2.25), List.of(), null, null, List.of()));
    String nl = System.lineSeparator();
    assertEquals(
        "\r[###############               ] 5/10  epoch 0.50  loss 2.2500  lr 1.00e-04  |g| 0.750  1234 tok/s"
            + nl + "step 5  eval loss 2.0000  perplexity 7.39  (best)" + nl + nl + "done" + nl,
        bytes.toString(StandardCharsets.UTF_8));
  }
}
