package org.tuninglab.rag;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.tuninglab.io.AtomicFiles;

/**
 * BM25 keyword retrieval with Apache Lucene: each chunk's label (title and heading path) and text
 * are analysed (English: lowercased, stop words dropped, Porter-stemmed by default) and scored
 * with Lucene's BM25 ({@code idf * tf / (tf + k1 * (1 - b + b * len / avgLen))}).
 *
 * <p>The index lives in memory, or on disk with {@link Builder#optDirectory}: it is built in a
 * temporary folder beside the target and renamed into place, and {@link #open} reads it back,
 * chunks included. A query is the bag of its analysed terms, each an optional clause.
 */
public final class Bm25Retriever implements Retriever, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY = "body";
  private static final String CHUNK = "chunk";
  private static final String ORD = "ord";

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer;
  private final List<Chunk> chunks;

  private Bm25Retriever(Directory directory, Analyzer analyzer, BM25Similarity similarity,
      List<Chunk> chunks) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
    this.searcher.setSimilarity(similarity);
    this.analyzer = analyzer;
    this.chunks = chunks;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens an index written with {@link Builder#optDirectory}, with the English analyzer and
   * BM25's defaults (k1 = 1.2, b = 0.75).
   *
   * @param dir the index folder
   * @return the retriever, holding the chunks stored in the index
   * @throws IOException if the folder holds no readable index
   */
  public static Bm25Retriever open(Path dir) throws IOException {
    return open(dir, new EnglishAnalyzer(), 1.2f, 0.75f);
  }

  /**
   * Opens an index written with {@link Builder#optDirectory}.
   *
   * @param dir the index folder
   * @param analyzer the analyzer the index was built with
   * @param k1 BM25's term-frequency saturation
   * @param b BM25's length normalisation
   * @return the retriever
   * @throws IOException if the folder holds no readable index
   */
  public static Bm25Retriever open(Path dir, Analyzer analyzer, float k1, float b)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": no such folder; expected a BM25 index folder");
    }
    Directory directory = FSDirectory.open(dir);
    try {
      if (!DirectoryReader.indexExists(directory)) {
        throw new IOException(dir + ": holds no Lucene index; expected a folder written by"
            + " Bm25Retriever.builder().optDirectory(...)");
      }
      List<Chunk> chunks = new ArrayList<>();
      try (DirectoryReader r = DirectoryReader.open(directory)) {
        StoredFields stored = r.storedFields();
        Chunk[] byOrd = new Chunk[r.maxDoc()];
        for (int doc = 0; doc < r.maxDoc(); doc++) {
          var fields = stored.document(doc);
          byOrd[fields.getField(ORD).numericValue().intValue()] =
              JSON.readValue(fields.get(CHUNK), Chunk.class);
        }
        chunks.addAll(List.of(byOrd));
      }
      return new Bm25Retriever(directory, analyzer, new BM25Similarity(k1, b), List.copyOf(chunks));
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "bm25";
  }

  /** The indexed chunks, in corpus order. */
  public List<Chunk> chunks() {
    return chunks;
  }

  @Override
  public List<ScoredChunk> retrieve(String query, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k " + k + ": expected at least 1");
    }
    Set<String> terms = terms(query);
    if (terms.isEmpty()) {
      return List.of(); // only stop words or punctuation: nothing to match
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    for (String term : terms) {
      q.add(new TermQuery(new Term(BODY, term)), BooleanClause.Occur.SHOULD);
    }
    try {
      ScoreDoc[] hits = searcher.search(q.build(), k).scoreDocs;
      StoredFields stored = searcher.storedFields();
      List<ScoredChunk> out = new ArrayList<>(hits.length);
      List<Integer> ords = new ArrayList<>(hits.length);
      for (ScoreDoc hit : hits) {
        int ord = stored.document(hit.doc, Set.of(ORD)).getField(ORD).numericValue().intValue();
        ords.add(ord);
        out.add(new ScoredChunk(chunks.get(ord), hit.score));
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < out.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.<Integer>comparingDouble(i -> -out.get(i).score())
          .thenComparing(ords::get));
      return order.stream().map(out::get).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("BM25 search failed for \"" + query + "\"", e);
    }
  }

  /** The query's distinct analysed terms, in order. */
  Set<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream(BODY, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return terms;
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
  }

  /** Builds a {@link Bm25Retriever}: an index of the chunks, in memory unless a folder is given. */
  public static final class Builder {
    private List<Chunk> chunks;
    private Analyzer analyzer = new EnglishAnalyzer();
    private float k1 = 1.2f;
    private float b = 0.75f;
    private Path dir;

    private Builder() {}

    /** The chunks to index, at least one. Required. */
    public Builder setChunks(List<Chunk> chunks) {
      this.chunks = List.copyOf(chunks);
      return this;
    }

    /** The analyzer for chunks and queries (default Lucene's {@link EnglishAnalyzer}). */
    public Builder optAnalyzer(Analyzer analyzer) {
      this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
      return this;
    }

    /** BM25's parameters (defaults k1 = 1.2, b = 0.75). */
    public Builder optBm25(float k1, float b) {
      this.k1 = k1;
      this.b = b;
      return this;
    }

    /** Writes the index to this folder, which must not exist yet (default: in memory). */
    public Builder optDirectory(Path dir) {
      this.dir = dir;
      return this;
    }

    /**
     * Indexes the chunks.
     *
     * @return the retriever
     * @throws IOException if the index cannot be written, or the folder exists already
     */
    public Bm25Retriever build() throws IOException {
      if (chunks == null || chunks.isEmpty()) {
        throw new IllegalStateException("setChunks is required, with at least one chunk");
      }
      BM25Similarity similarity = new BM25Similarity(k1, b);
      if (dir == null) {
        Directory memory = new ByteBuffersDirectory();
        write(memory, similarity);
        return new Bm25Retriever(memory, analyzer, similarity, chunks);
      }
      if (Files.exists(dir)) {
        throw new IOException(dir + ": already exists; expected a new folder for the index"
            + " (Bm25Retriever.open reads an existing one)");
      }
      Path parent = dir.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
      try {
        try (Directory fs = FSDirectory.open(tmp)) {
          write(fs, similarity);
        }
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        if (Files.exists(tmp)) {
          try (Stream<Path> files = Files.list(tmp)) {
            files.forEach(AtomicFiles::deleteQuietly);
          }
          AtomicFiles.deleteQuietly(tmp);
        }
      }
      return new Bm25Retriever(FSDirectory.open(dir), analyzer, similarity, chunks);
    }

    private void write(Directory directory, BM25Similarity similarity) throws IOException {
      IndexWriterConfig config = new IndexWriterConfig(analyzer)
          .setSimilarity(similarity)
          .setMergePolicy(new LogDocMergePolicy()) // merges keep documents in corpus order
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int i = 0; i < chunks.size(); i++) {
          Chunk c = chunks.get(i);
          org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
          doc.add(new TextField(BODY, c.label() + "\n" + c.text(), Field.Store.NO));
          doc.add(new StoredField(ORD, i));
          if (dir != null) {
            doc.add(new StoredField(CHUNK, JSON.writeValueAsString(c)));
          }
          writer.addDocument(doc);
        }
        writer.commit();
      }
    }
  }
}
