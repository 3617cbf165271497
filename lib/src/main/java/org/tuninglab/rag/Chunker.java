package org.tuninglab.rag;

import java.util.ArrayList;
import java.util.List;

/** Splits documents into the chunks that retrieval indexes. */
public interface Chunker {

  /**
   * Splits one document.
   *
   * @param document the document
   * @return its chunks in document order, each with a stable id
   */
  List<Chunk> chunk(Document document);

  /**
   * Splits every document.
   *
   * @param documents the documents
   * @return their chunks, document by document
   */
  default List<Chunk> chunkAll(List<Document> documents) {
    List<Chunk> chunks = new ArrayList<>();
    for (Document d : documents) {
      chunks.addAll(chunk(d));
    }
    return chunks;
  }
}
