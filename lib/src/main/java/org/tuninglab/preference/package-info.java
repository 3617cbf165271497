/**
 * Preference optimisation (DPO and its relatives), the parts that do not depend on the trainer:
 *
 * <ul>
 *   <li>{@link org.tuninglab.preference.SequenceLogProbs}: per-sequence answer log-probabilities
 *       of a {@link org.tuninglab.data.PreferenceBatch} (both sides in one batch);
 *   <li>{@link org.tuninglab.preference.PreferenceLoss}: sigmoid DPO (with label smoothing), IPO
 *       and SimPO, each a function of the four log-probabilities, giving {@link
 *       org.tuninglab.preference.LossTerms};
 *   <li>{@link org.tuninglab.preference.PreferenceMetrics}: TRL's metric names and values;
 *   <li>{@link org.tuninglab.preference.ReferenceModel}: the reference (LoRA base with adapters
 *       disabled, a frozen copy for full fine-tuning), and {@link
 *       org.tuninglab.preference.ReferenceLogProbs}, its log-probabilities precomputed once;
 *   <li>{@link org.tuninglab.preference.PreferenceDiagnosis}: what a run's curves show, in words.
 * </ul>
 *
 * <p>The rule that judges generated answers for the shipped preference data set is {@code
 * eval.CompactJson} (the preference rate), since judging text is evaluation's job.
 *
 * <p>Layer: above {@code model}, {@code peft}, {@code data} and the scoring core; below {@code
 * train}, whose step runs these. Data (pairs, files, collation, inspector) lives in {@code data}.
 */
package org.tuninglab.preference;
