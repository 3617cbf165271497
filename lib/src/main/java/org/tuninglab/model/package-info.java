/**
 * The Llama-family decoder (Llama 2/3, Mistral, Qwen2/2.5, SmolLM) in DJL: configuration from
 * {@code config.json}, the decoder itself with a KV cache, loading and saving in Hugging Face
 * layout, and the llama2.c importer. It knows neither generation nor the network: {@code generate}
 * decodes, and {@code generate.LanguageModel} finds a model by Hub name.
 *
 * <p>The model is written as plain tensor code over named weights (the Hugging Face names), not as
 * DJL {@code Block}s, so that the fine-tuning methods can swap a projection for a LoRA or NF4 one
 * by name, and so that the whole forward pass reads top to bottom in one class.
 */
package org.tuninglab.model;
