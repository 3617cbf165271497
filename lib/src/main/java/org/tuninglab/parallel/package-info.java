/**
 * Efficiency across devices: the memory planner (what a training step of a model × method × dtype
 * × micro-batch holds on one GPU, from {@code config.json} alone); data, pipeline and tensor
 * parallel training and the cost model are to come here too.
 *
 * <p>The planner counts what this project's own training step holds ({@link
 * org.tuninglab.parallel.ActivationInventory} lists every tensor), so its figures can be checked
 * against measured peaks on the CPU and hold for the same code on a GPU.
 */
package org.tuninglab.parallel;
