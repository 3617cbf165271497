package org.tuninglab.track.sweep;

/** How a sweep proposes the next trial's parameters. */
public enum SweepMethod {
  /** Every combination of the parameters' value lists, in order. */
  GRID,
  /** Independent seeded draws from each parameter's distribution. */
  RANDOM,
  /** Bayesian optimisation with a tree-structured Parzen estimator (TPE). */
  BAYES
}
