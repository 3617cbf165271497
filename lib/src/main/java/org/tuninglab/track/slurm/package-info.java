/**
 * Launching a sweep on Slurm as an {@code sbatch} array job: one trial per array task, each task a
 * sweep worker that takes its trial from the run store on the shared filesystem and reports back,
 * so compute nodes need no network. {@link org.tuninglab.track.slurm.LaunchConfig} holds the
 * cluster settings, {@link org.tuninglab.track.slurm.SbatchScript} renders the script and
 * {@link org.tuninglab.track.slurm.SlurmLauncher} writes and submits it.
 */
package org.tuninglab.track.slurm;
