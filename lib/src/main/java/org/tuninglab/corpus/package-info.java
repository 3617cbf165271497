/**
 * The embedded model's pretraining mix: seeded generators of the text that teaches a 3M-parameter
 * model, before any fine-tuning, what the workshop's lessons rely on. Stories for general text;
 * grounded questions over numbered sources (the RAG lesson); few-shot extraction chats (the
 * few-shot lesson); instructions with and without a JSON format clause (the prompting lesson); and
 * refusals of a small class of harmful requests beside helpful answers to look-alikes (the dangers
 * lesson). Every chat is rendered through the library's own prompt builders ({@code
 * GroundedPrompt}, {@code FewShotBuilder}, {@code PromptTemplate}) and the ChatML template the model
 * ships with, so the model learns exactly the shapes the lessons later send it. {@link HeldOut}
 * names what the benchmark keeps out of the mix. A practice set of chats from the same generators
 * (few-shot chats whose keys must be copied, and the others rehearsed) is the last training
 * stage's data. The same seed gives the same bytes.
 */
package org.tuninglab.corpus;
