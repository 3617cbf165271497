/**
 * Retrieval-augmented generation: the alternative to fine-tuning when a model lacks facts.
 *
 * <ul>
 *   <li>{@link org.tuninglab.rag.DocumentLoader} reads markdown, text, CSV, JSON and JSONL into
 *       {@link org.tuninglab.rag.Document}s, naming the file and line of a bad record, failing fast
 *       or skipping and reporting.
 *   <li>{@link org.tuninglab.rag.TokenChunker} cuts token windows with overlap (over a model's
 *       tokenizer or a {@link org.tuninglab.rag.WordCounter}); {@link
 *       org.tuninglab.rag.HeadingChunker} cuts markdown at its headings. Both give {@link
 *       org.tuninglab.rag.Chunk}s with stable ids, heading paths and offsets.
 *   <li>{@link org.tuninglab.rag.Retriever} has three implementations: {@link
 *       org.tuninglab.rag.Bm25Retriever} (Lucene), {@link org.tuninglab.rag.DenseRetriever} (exact
 *       cosine over {@link org.tuninglab.rag.MiniLmEmbedder} vectors) and {@link
 *       org.tuninglab.rag.HybridRetriever} (reciprocal rank fusion).
 *   <li>{@link org.tuninglab.rag.GroundedPrompt} puts numbered sources before the question and
 *       asks for {@code [n]} citations; {@link org.tuninglab.rag.CitationCheck} reads them back.
 *   <li>{@link org.tuninglab.rag.RetrievalMetrics} scores a retriever on {@link
 *       org.tuninglab.rag.LabelledQuestion}s: recall@k, MRR and hit rate.
 *   <li>The workshop's corpus, {@code datasets/cluster-handbook}, is written by {@code
 *       org.tuninglab.data.synthetic.HandbookGenerator} ({@code ./tuninglab datasets}).
 * </ul>
 */
package org.tuninglab.rag;
