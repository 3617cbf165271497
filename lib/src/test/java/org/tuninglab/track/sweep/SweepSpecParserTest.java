package org.tuninglab.track.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.track.TrackException;

class SweepSpecParserTest {

  private static final String BAYES = """
      name: lr
      method: bayes
      metric:
        name: eval_loss
        goal: minimize
      parameters:
        lr:
          distribution: log_uniform_values
          min: 1.0e-5
          max: 1.0e-2
        batch_size:
          values: [4, 8]
        r:
          min: 4
          max: 16
        dropout:
          min: 0.0
          max: 0.1
        warmup:
          distribution: q_uniform
          min: 0
          max: 100
          q: 10
        epochs:
          value: 3
      early_terminate:
        type: hyperband
        min_iter: 1
        eta: 3
      run_cap: 20
      seed: 7
      """;

  @Test
  void parsesEveryParameterKind() {
    SweepSpec s = SweepSpecParser.parse(BAYES, "spec.yaml");
    assertEquals("lr", s.name());
    assertEquals(SweepMethod.BAYES, s.method());
    assertEquals(Goal.MINIMIZE, s.goal());
    assertEquals(new ParamSpec.Numeric(ParamSpec.Numeric.Scale.LOG, 1e-5, 1e-2, 0), s.parameters().get("lr"));
    assertEquals(new ParamSpec.Categorical(List.of(4, 8)), s.parameters().get("batch_size"));
    assertEquals(ParamSpec.Numeric.Scale.INTEGER, ((ParamSpec.Numeric) s.parameters().get("r")).scale());
    assertEquals(ParamSpec.Numeric.Scale.LINEAR, ((ParamSpec.Numeric) s.parameters().get("dropout")).scale());
    assertEquals(10.0, ((ParamSpec.Numeric) s.parameters().get("warmup")).q());
    assertEquals(new ParamSpec.Constant(3), s.parameters().get("epochs"));
    assertEquals(new Hyperband(1, 3, 0), s.earlyTerminate());
    assertEquals(20, s.runCap());
    assertEquals(7, s.seed());
    assertEquals(List.of("lr", "batch_size", "r", "dropout", "warmup", "epochs"), List.copyOf(s.parameters().keySet()));
  }

  @Test
  void gridRunCapDefaultsToTheGridSize() {
    SweepSpec s = SweepSpecParser.parse("""
        method: grid
        metric: {name: acc, goal: maximize}
        parameters:
          lr: {values: [1.0e-5, 1.0e-4, 1.0e-3]}
          batch_size: {values: [4, 8]}
          r: {value: 8}
        """, "g.yaml");
    assertEquals(6, s.runCap());
    assertEquals(Goal.MAXIMIZE, s.goal());
  }

  private static String error(String yaml) {
    return assertThrows(TrackException.class, () -> SweepSpecParser.parse(yaml, "bad.yaml")).getMessage();
  }

  @Test
  void errorsNameSourceLineAndKey() {
    String m = error(BAYES.replace("method: bayes", "method: annealing"));
    assertTrue(m.startsWith("bad.yaml:2: key 'method': expected one of [grid, random, bayes], got \"annealing\""), m);
    m = error(BAYES.replace("min: 1.0e-5", "min: 0"));
    assertTrue(m.startsWith("bad.yaml:9: key 'parameters.lr.min': log_uniform_values needs min > 0"), m);
    m = error(BAYES.replace("distribution: q_uniform", "distribution: gaussian"));
    assertTrue(m.startsWith("bad.yaml:20: key 'parameters.warmup.distribution': unknown distribution 'gaussian'"), m);
    m = error(BAYES.replace("run_cap: 20\n", ""));
    assertTrue(m.contains("missing key 'run_cap'"), m);
    m = error(BAYES.replace("  name: eval_loss\n", ""));
    assertTrue(m.startsWith("bad.yaml:3: key 'metric': missing key 'name' (at metric.name)"), m);
    m = error(BAYES.replace("seed: 7", "sed: 7"));
    assertTrue(m.startsWith("bad.yaml:31: key 'sed': unknown key 'sed'"), m);
    m = error(BAYES.replace("eta: 3", "eta: 1"));
    assertTrue(m.contains("key 'early_terminate.eta': expected eta >= 2"), m);
    m = error(BAYES.replace("max: 16", "max: 2"));
    assertTrue(m.contains("key 'parameters.r.max': expected max > min"), m);
    m = error(BAYES.replace("method: bayes", "method: grid"));
    assertTrue(m.contains("key 'parameters.lr': method grid needs 'values'"), m);
    m = error("method: [unclosed");
    assertTrue(m.startsWith("bad.yaml: not valid YAML"), m);
    m = error("- just\n- a list\n");
    assertTrue(m.contains("expected a YAML mapping"), m);
  }
}
