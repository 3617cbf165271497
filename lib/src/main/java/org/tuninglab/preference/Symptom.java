package org.tuninglab.preference;

/** What {@link PreferenceDiagnosis} can recognise in a preference run's curves. */
public enum Symptom {
  /** Chosen rewards fall while margins grow: both answers lose likelihood, the rejected faster. */
  BOTH_LIKELIHOODS_FALLING,
  /** The margins stopped growing: more steps on these pairs add drift, not preference. */
  MARGINS_SATURATED,
  /** Training loss near zero while holdout accuracy stays flat: the pairs are memorised. */
  MEMORISING_PAIRS,
  /** The loss is satisfied by a tiny move from the reference, too small to change answers. */
  BETA_TOO_LARGE,
  /** The policy drifts far from the reference: little holds it there. */
  BETA_TOO_SMALL
}
