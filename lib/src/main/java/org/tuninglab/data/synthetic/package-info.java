/**
 * Seeded generators of the workshop's small data sets: a corpus of simple English stories for
 * pretraining the embedded model, an entity-extraction task (text to JSON) for fine-tuning it, and
 * the cluster handbook the RAG lesson retrieves from ({@code ./tuninglab datasets} writes all three).
 * The same seed gives the same bytes on every machine, so the shipped files under {@code datasets/}
 * are checked against a regeneration.
 */
package org.tuninglab.data.synthetic;
