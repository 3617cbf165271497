package org.tuninglab.peft;

/** How prompt tuning's virtual tokens start, with PEFT's {@code prompt_tuning_init} values. */
public enum PromptInit {
  /** The token embeddings of a text, repeated or cropped to the number of virtual tokens. */
  TEXT,
  /** Embeddings of tokens drawn uniformly from the vocabulary. */
  SAMPLE_VOCAB,
  /** Standard normal values, as {@code torch.nn.Embedding} starts. */
  RANDOM
}
