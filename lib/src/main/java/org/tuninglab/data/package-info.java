/**
 * Training data: prompt/completion and chat examples loaded from CSV, JSON and JSONL with
 * validation, seeded splits, collation into padded batches with completion-only labels, and a
 * token/label inspector.
 */
package org.tuninglab.data;
