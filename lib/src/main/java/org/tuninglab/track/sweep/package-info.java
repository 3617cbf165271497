/**
 * Hyperparameter sweeps whose controller state lives in the run store, so any number of workers
 * (a notebook, local processes, Slurm array tasks on nodes without internet) share one sweep and
 * a crash at any point loses no trial and runs none twice.
 *
 * <p>{@link org.tuninglab.track.sweep.SweepSpecParser} reads a W&amp;B-shaped YAML spec;
 * {@link org.tuninglab.track.sweep.Sweep} creates or opens a sweep;
 * {@link org.tuninglab.track.sweep.SweepController} hands out trials through exclusive claim files
 * and leases; {@link org.tuninglab.track.sweep.Worker} runs a {@link
 * org.tuninglab.track.sweep.TrialFunction} on them; grid, random and TPE samplers propose
 * parameters and {@link org.tuninglab.track.sweep.Hyperband} stops poor trials early.
 */
package org.tuninglab.track.sweep;
