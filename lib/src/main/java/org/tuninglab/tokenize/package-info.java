/**
 * Tokenizers and chat templates: text to token ids and back, and chat messages to the prompt text a
 * model was trained on.
 *
 * <ul>
 *   <li>{@link org.tuninglab.tokenize.TextTokenizer} is what the model, data and generation code
 *       see; {@link org.tuninglab.tokenize.HfTokenizer} reads a Hugging Face {@code tokenizer.json}
 *       (through DJL's tokenizers binding) and {@link org.tuninglab.tokenize.Llama2cTokenizer} a
 *       llama2.c {@code tok*.bin}.
 *   <li>{@link org.tuninglab.tokenize.SpecialTokens} gathers BOS/EOS/PAD/UNK ids from the several
 *       files a Hugging Face model folder spreads them over.
 *   <li>{@link org.tuninglab.tokenize.ChatTemplate} renders a model's Jinja chat template with
 *       Jinjava, configured so the output is byte-identical to what {@code transformers}' {@code
 *       apply_chat_template} produces.
 *   <li>{@link org.tuninglab.tokenize.TokenizerCheck} guards against pairing a tokenizer with a
 *       model whose embedding table is too small for it.
 * </ul>
 */
package org.tuninglab.tokenize;
