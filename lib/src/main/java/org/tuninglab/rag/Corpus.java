package org.tuninglab.rag;

import java.util.List;

/**
 * What {@link DocumentLoader} read.
 *
 * @param documents the documents, in file order (files sorted by path) then record order
 * @param skipped the files left out (parse errors under {@link DocumentLoader.OnError#SKIP}, and
 *     files of an unsupported type found in a folder)
 */
public record Corpus(List<Document> documents, List<SkippedFile> skipped) {
  public Corpus {
    documents = List.copyOf(documents);
    skipped = List.copyOf(skipped);
  }
}
