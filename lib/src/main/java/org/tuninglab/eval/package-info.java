/**
 * Evaluation: run several prompting strategies (plain, templated, few-shot, RAG, a fine-tuned
 * model) over one labelled set, seeded per example, and compare them with metrics.
 *
 * <ul>
 *   <li>{@link org.tuninglab.eval.LabelledExample} and {@link org.tuninglab.eval.LabelledFiles}:
 *       the labelled set, loaded from JSONL, JSON or CSV with errors naming file, line and field.
 *   <li>{@link org.tuninglab.eval.Strategy}: a name, a {@link org.tuninglab.chat.ChatModel} and how
 *       an example becomes a conversation.
 *   <li>{@link org.tuninglab.eval.EvalHarness} runs them and returns an {@link
 *       org.tuninglab.eval.EvalResult}: a metrics table, a chart, a per-example drill-down and
 *       per-category breakdowns as Tablesaw tables and XChart charts.
 *   <li>Metrics ({@link org.tuninglab.eval.Metric}): {@link org.tuninglab.eval.ExactMatch}, {@link
 *       org.tuninglab.eval.EntityOverlap}, {@link org.tuninglab.eval.JsonValidity}, {@link
 *       org.tuninglab.eval.Refusal}, {@link org.tuninglab.eval.Perplexity}; pairwise {@link
 *       org.tuninglab.eval.WinRate} through a {@link org.tuninglab.eval.Judge}.
 *   <li>{@link org.tuninglab.eval.RepeatedTokensLoss}: whether a model copies from its context at
 *       all (the induction test), which few-shot, RAG and extraction rely on.
 * </ul>
 */
package org.tuninglab.eval;
