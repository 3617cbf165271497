package org.tuninglab.bench;

import org.tuninglab.parallel.ParallelStrategy;

/**
 * The cost model's answer for one configuration: a training step's time and memory per GPU.
 *
 * @param strategy how the step is split (data parallel over one device: a single GPU)
 * @param devices GPUs
 * @param device the GPU (or this machine's CPU)
 * @param link the link between them
 * @param flopsPerDevice matmul FLOPs each device computes (StepFlops' count)
 * @param computeSeconds those FLOPs at the calibrated time per FLOP, the bubble included
 * @param bytesPerDevice bytes each device sends in the step (ring all-reduce for reductions)
 * @param commSeconds those bytes at the link's one-direction bandwidth, not overlapped
 * @param bubble the pipeline's idle fraction (p-1)/(m+p-1); 0 otherwise
 * @param stepSeconds compute plus communication
 * @param memoryPerDevice the memory planner's peak, divided as the strategy divides it
 * @param fits whether that peak fits the device's memory
 */
public record StepProjection(
    ParallelStrategy strategy,
    int devices,
    String device,
    String link,
    double flopsPerDevice,
    double computeSeconds,
    long bytesPerDevice,
    double commSeconds,
    double bubble,
    double stepSeconds,
    long memoryPerDevice,
    boolean fits) {}
