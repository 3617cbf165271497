/**
 * Text generation: one decode loop ({@link org.tuninglab.generate.Generator}) for any forward pass
 * — a plain model or a model adapted for a fine-tuning method — with or without the KV cache;
 * greedy and sampled decoding (temperature, top-k, top-p, seeded), stop tokens and stop strings,
 * streaming, and batches of prompts of different lengths (left-padded). {@link
 * org.tuninglab.generate.LanguageModel} is the one-line API: load by path or Hub name, then chat.
 */
package org.tuninglab.generate;
