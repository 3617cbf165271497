package org.tuninglab.track.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static final String SPACE = """
      method: %s
      metric: {name: eval_loss}
      parameters:
        lr: {distribution: log_uniform_values, min: 1.0e-6, max: 1.0e-1}
        batch_size: {values: [2, 4, 8, 16, 32]}
        r: {distribution: int_uniform, min: 2, max: 64}
      run_cap: 40
      seed: 3
      """;

  @Test
  void gridVisitsEveryCombinationOnce() {
    SweepSpec s = SweepSpecParser.parse("""
        method: grid
        metric: {name: eval_loss}
        parameters:
          lr: {values: [1.0e-5, 1.0e-4, 1.0e-3]}
          batch_size: {values: [4, 8]}
          r: {values: [4, 8, 16]}
        """, "g");
    Sampler g = Sampler.of(s);
    var seen = new HashSet<Map<String, Object>>();
    for (int n = 0; n < s.runCap(); n++) {
      seen.add(g.suggest(n, List.of()));
    }
    assertEquals(18, seen.size());
    assertEquals(Map.of("lr", 1e-5, "batch_size", 4, "r", 8), g.suggest(1, List.of()));
  }

  @Test
  void randomIsReproduciblePerTrialAndWithinBounds() {
    Sampler r = Sampler.of(SweepSpecParser.parse(SPACE.formatted("random"), "r"));
    for (int n = 0; n < 50; n++) {
      Map<String, Object> p = r.suggest(n, List.of());
      assertEquals(p, r.suggest(n, List.of()));
      double lr = (Double) p.get("lr");
      int rank = (Integer) p.get("r");
      assertTrue(lr >= 1e-6 && lr <= 1e-1 && rank >= 2 && rank <= 64, p.toString());
    }
  }

  @Test
  void tpeBeatsRandomOnTheToyBowl() {
    double tpe = bestOf(Sampler.of(SweepSpecParser.parse(SPACE.formatted("bayes"), "b")));
    double random = bestOf(Sampler.of(SweepSpecParser.parse(SPACE.formatted("random"), "r")));
    assertTrue(tpe < random, "TPE best " + tpe + " vs random best " + random);
  }

  // Mean over the last 20 of 40 trials: TPE should concentrate near the optimum, random not.
  private static double bestOf(Sampler sampler) {
    List<Observation> done = new ArrayList<>();
    double tail = 0;
    for (int n = 0; n < 40; n++) {
      Map<String, Object> p = sampler.suggest(n, done);
      double loss = ToyObjective.loss((Double) p.get("lr"), ((Number) p.get("batch_size")).doubleValue(),
          ((Number) p.get("r")).doubleValue(), 5, 0.02, n);
      done.add(new Observation(p, loss));
      if (n >= 20) {
        tail += loss / 20;
      }
    }
    return tail;
  }
}
