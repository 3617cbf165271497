/**
 * Efficiency across devices: the memory planner (what a training step of a model × method × dtype
 * × micro-batch holds on one GPU, from {@code config.json} alone), and data, pipeline and tensor
 * parallel training over a list of devices ({@link org.tuninglab.parallel.DataParallel}, {@link
 * org.tuninglab.parallel.PipelineParallel}, {@link org.tuninglab.parallel.TensorParallel}): each
 * matches single-device training and reports what every device held and moved.
 *
 * <p>The planner counts what this project's own training step holds ({@link
 * org.tuninglab.parallel.ActivationInventory} lists every tensor), so its figures can be checked
 * against measured peaks on the CPU and hold for the same code on a GPU.
 */
package org.tuninglab.parallel;
