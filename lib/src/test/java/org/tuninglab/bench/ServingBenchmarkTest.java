package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.ModelConfig;

/** The serving benchmark at a tiny size: every mode answers with the same text and is reported. */
class ServingBenchmarkTest {
  private static final ModelConfig TINY =
      ModelConfig.builder().setVocabSize(128).setHiddenSize(32).setIntermediateSize(64)
          .setNumLayers(2).setNumHeads(4).optNumKvHeads(2).optMaxPositions(256).build();

  @Test
  void everyModeAnswersWithTheSameGreedyText() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ServingBenchmark.Result r =
        ServingBenchmark.run(TINY, new ServingBenchmark.Settings(3, 8, 1, 2),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertTrue(r.sameText());
    assertEquals(TINY.parameterCount(), r.parameters());
    for (double rate : new double[] {r.inProcess(), r.http(), r.streamed(), r.concurrent()}) {
      assertTrue(rate > 0 && Double.isFinite(rate), r.toString());
    }
    assertEquals(r.http() / r.inProcess(), r.httpRatio(), 1e-12);
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("HTTP, streamed (SSE)") && table.contains("identical in every mode:"
        + " yes"), table);
  }
}
