/**
 * How a model is updated: full fine-tuning, LoRA (with rsLoRA, dropout, merge), QLoRA (an NF4 base
 * with double-quantised scales under LoRA) and prompt tuning.
 *
 * <p>A method is a type, {@link org.tuninglab.peft.MethodSpec}, from config to saved result: it
 * wraps a {@link org.tuninglab.model.LlamaModel} as an {@link org.tuninglab.peft.AdaptedModel}, a
 * forward pass that the trainer, the scorers and the generator all use, with the arrays to update
 * and a {@code save} of its own. Adapters are saved and loaded in Hugging Face PEFT's format ({@code
 * adapter_config.json} + {@code adapter_model.safetensors}), so they move between this library and
 * Python in both directions. {@link org.tuninglab.peft.ParameterReport} counts parameters and
 * memory the way PEFT's {@code print_trainable_parameters} does, from a config alone or from a
 * built model. {@link org.tuninglab.peft.LoraModel#adaptersDisabled()} runs a LoRA model as its
 * base for the length of a scope: preference optimisation's reference model without a copy.
 */
package org.tuninglab.peft;
