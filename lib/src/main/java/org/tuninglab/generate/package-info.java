/**
 * Text generation from a {@link org.tuninglab.model.LlamaModel}: greedy and sampled decoding
 * (temperature, top-k, top-p, seeded), stop tokens and stop strings, streaming, and batches of
 * prompts of different lengths (left-padded).
 */
package org.tuninglab.generate;
