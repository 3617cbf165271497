/**
 * Prompting without training: the alternatives the workshop weighs before fine-tuning.
 *
 * <ul>
 *   <li>{@link org.tuninglab.prompt.PromptTemplate} fills named {@code {variables}} into a prompt
 *       and turns it into chat messages.
 *   <li>{@link org.tuninglab.prompt.FewShotBuilder} puts k worked examples before the query as
 *       earlier user/assistant turns, chosen in order, at random (seeded) or by {@link
 *       org.tuninglab.prompt.Similarity} to the query.
 *   <li>{@link org.tuninglab.prompt.JsonOutput} finds and parses the JSON in a model's reply and
 *       checks it against a {@link org.tuninglab.prompt.JsonShape}, so "did the model follow the
 *       format" becomes a measured rate.
 * </ul>
 */
package org.tuninglab.prompt;
