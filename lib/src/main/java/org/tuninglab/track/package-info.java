/**
 * Experiment tracking that needs nothing but a directory: a {@link org.tuninglab.track.RunStore}
 * holds runs (config, git commit, data fingerprints, environment, metric stream, summary,
 * artefacts, status) in plain files that many processes on many nodes may write at once over a
 * shared filesystem (NFS, GPFS), without {@code flock}: every file is either written once through
 * an atomic rename, created exclusively, or appended to by exactly one writer.
 *
 * <p>A trainer talks to a {@link org.tuninglab.track.Run}: {@code log(step, name, value)},
 * {@code finish(summary)}, {@code fail(error)}. Sweeps live in {@code track.sweep}, Slurm launch
 * in {@code track.slurm}, notebook views in {@code track.view}.
 */
package org.tuninglab.track;
