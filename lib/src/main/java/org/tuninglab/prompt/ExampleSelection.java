package org.tuninglab.prompt;

/** How {@link FewShotBuilder} picks its k examples from the pool. */
public enum ExampleSelection {
  /** The first k of the pool, in pool order: fixed, like a hand-written prompt. */
  IN_ORDER,
  /** k drawn without replacement by a seeded generator: the same seed gives the same draw. */
  RANDOM,
  /**
   * The k most similar to the query, most similar first; ties keep pool order. Often the strongest
   * choice, since near neighbours show the model the closest precedent.
   */
  BY_SIMILARITY
}
