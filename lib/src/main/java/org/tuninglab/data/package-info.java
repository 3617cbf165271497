/**
 * Training data: prompt/completion and chat examples loaded from CSV, JSON and JSONL with
 * validation, seeded splits, collation into padded batches with completion-only labels, and a
 * token/label inspector. Preference pairs (prompt, chosen, rejected) load the same way ({@link
 * org.tuninglab.data.PreferenceFiles}) and collate both sides into one batch with answer-only
 * labels ({@link org.tuninglab.data.PreferenceCollator}); {@link org.tuninglab.data.PairInspector}
 * shows a pair's two sides side by side. Pretraining packs documents into sequences ({@link
 * org.tuninglab.data.PackedSequences}) and can mix in copy drills ({@link
 * org.tuninglab.data.CopyDrill}), which teach a small model to copy from its context.
 */
package org.tuninglab.data;
