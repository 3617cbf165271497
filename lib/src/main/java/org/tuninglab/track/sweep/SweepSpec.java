package org.tuninglab.track.sweep;

import java.util.Map;

/**
 * A parsed, validated sweep spec (see {@link SweepSpecParser} for the YAML keys).
 *
 * @param name the sweep's name, unique in a run store
 * @param method grid, random or bayes
 * @param metric the metric the trials report and the sweep optimises
 * @param goal minimise or maximise {@code metric}
 * @param parameters parameter name to its values or distribution, in spec order
 * @param earlyTerminate Hyperband / ASHA settings, or null for none
 * @param runCap the number of trials (grid: the grid size unless smaller)
 * @param seed seed of the random and TPE samplers (trial {@code n} uses {@code seed} and {@code n})
 * @param objective the trial function workers run: {@code toy} or a class name; null when the
 *     caller supplies one (a notebook)
 * @param maxRetries how often a failed trial is tried again (preempted and lost ones always are)
 */
public record SweepSpec(
    String name,
    SweepMethod method,
    String metric,
    Goal goal,
    Map<String, ParamSpec> parameters,
    Hyperband earlyTerminate,
    int runCap,
    long seed,
    String objective,
    int maxRetries) {
  /** A copy with another name (the CLI's {@code --name}). */
  public SweepSpec withName(String newName) {
    return new SweepSpec(newName, method, metric, goal, parameters, earlyTerminate, runCap, seed, objective, maxRetries);
  }
}
