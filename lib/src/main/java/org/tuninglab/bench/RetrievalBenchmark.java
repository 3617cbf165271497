package org.tuninglab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.tuninglab.rag.Bm25Retriever;
import org.tuninglab.rag.Chunk;
import org.tuninglab.rag.DenseRetriever;
import org.tuninglab.rag.Embedder;
import org.tuninglab.rag.MiniLmEmbedder;

/**
 * {@code tuninglab bench retrieval}: retrieval costs on a generated corpus, each beside a
 * reference measured in the same run.
 *
 * <ul>
 *   <li>BM25 index build time (Lucene, in memory; the median of three builds);
 *   <li>BM25 query latency (median and p95) against a brute-force scan that counts each chunk's
 *       query words (precomputed word sets) and keeps the top k;
 *   <li>exact cosine top-k over the corpus's vectors (random unit vectors: this times the scan,
 *       not the model);
 *   <li>MiniLM embedding throughput on a sample of chunks, batched against one chunk a forward
 *       pass.
 * </ul>
 *
 * <p>The corpus is seeded: words are made of random syllables, drawn with Zipf-like frequencies
 * (rank r has weight 1/r) as in natural text; chunks have 40 to 120 words, and each query takes 3
 * to 6 words of a random chunk.
 */
public final class RetrievalBenchmark {

  /**
   * @param chunks chunks in the corpus
   * @param queries timed queries (after as many untimed ones)
   * @param k results a query
   * @param embedSample chunks embedded for the throughput figures
   * @param batch texts a forward pass for the batched figure
   * @param seed the corpus seed
   */
  public record Settings(int chunks, int queries, int k, int embedSample, int batch, long seed) {
    /** The defaults: 10k chunks, 200 queries, top 10, 64 chunks embedded in batches of 32. */
    public static Settings defaults() {
      return new Settings(10_000, 200, 10, 64, 32, 1);
    }
  }

  /**
   * The figures.
   *
   * @param bm25BuildSeconds the median BM25 index build
   * @param bm25Median median BM25 query latency, seconds
   * @param bm25P95 95th percentile BM25 query latency
   * @param scanMedian median brute-force word-overlap scan latency
   * @param scanP95 95th percentile scan latency
   * @param cosineMedian median exact cosine top-k latency over all chunks
   * @param singleChunksPerSecond MiniLM throughput one chunk a forward pass
   * @param batchedChunksPerSecond MiniLM throughput in batches
   */
  public record Result(double bm25BuildSeconds, double bm25Median, double bm25P95,
      double scanMedian, double scanP95, double cosineMedian, double singleChunksPerSecond,
      double batchedChunksPerSecond) {

    /** How many times faster a BM25 query is than the brute-force scan (median). */
    public double bm25Speedup() {
      return scanMedian / bm25Median;
    }

    /** How many times faster batched embedding is than one chunk a pass. */
    public double batchingSpeedup() {
      return batchedChunksPerSecond / singleChunksPerSecond;
    }
  }

  private RetrievalBenchmark() {}

  /**
   * Runs the benchmark and prints its figures.
   *
   * @param s the sizes
   * @param log where the figures go
   * @return the figures
   * @throws IOException if the embedding model cannot be loaded
   */
  public static Result run(Settings s, PrintStream log) throws IOException {
    Random random = new Random(s.seed());
    List<String> vocabulary = vocabulary(random, 20_000);
    List<Chunk> chunks = corpus(random, vocabulary, s.chunks());
    List<String> queries = queries(random, chunks, 2 * s.queries());
    log.printf(Locale.ROOT,
        "corpus: %,d chunks (%,d words, seed %d), %d queries, top %d, %d cpus%n",
        chunks.size(), chunks.stream().mapToInt(c -> c.text().split(" ").length).sum(), s.seed(),
        s.queries(), s.k(), Runtime.getRuntime().availableProcessors());

    double[] builds = new double[3];
    for (int i = 0; i < builds.length; i++) {
      long t0 = System.nanoTime();
      Bm25Retriever built = Bm25Retriever.builder().setChunks(chunks).build();
      builds[i] = (System.nanoTime() - t0) / 1e9;
      built.close();
    }
    Arrays.sort(builds);
    double[] bm25;
    try (Bm25Retriever index = Bm25Retriever.builder().setChunks(chunks).build()) {
      bm25 = time(queries, s.queries(), q -> index.retrieve(q, s.k()));
    }
    WordScan scan = new WordScan(chunks);
    double[] scanTimes = time(queries, s.queries(), q -> scan.top(q, s.k()));

    DenseRetriever cosine = DenseRetriever.builder().setChunks(chunks)
        .setEmbedder(new RandomUnitVectors(384, s.seed())).build();
    double[] cosineTimes = time(queries, s.queries(), q -> cosine.retrieve(q, s.k()));

    double single;
    double batched;
    try (MiniLmEmbedder model = MiniLmEmbedder.builder().optBatchSize(s.batch()).build()) {
      List<String> sample = chunks.subList(0, Math.min(s.embedSample(), chunks.size())).stream()
          .map(Chunk::text).toList();
      model.embed(sample.subList(0, Math.min(16, sample.size())), 1); // warm-up
      long t0 = System.nanoTime();
      model.embed(sample, 1);
      single = sample.size() / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      model.embed(sample, s.batch());
      batched = sample.size() / ((System.nanoTime() - t0) / 1e9);
    }
    Result r = new Result(builds[1], median(bm25), p95(bm25), median(scanTimes), p95(scanTimes),
        median(cosineTimes), single, batched);
    log.printf(Locale.ROOT, "BM25 index build (Lucene, in memory): %.3f s (median of 3)%n",
        r.bm25BuildSeconds());
    log.printf(Locale.ROOT, "BM25 query:              median %.3f ms, p95 %.3f ms%n",
        r.bm25Median() * 1e3, r.bm25P95() * 1e3);
    log.printf(Locale.ROOT, "reference word scan:     median %.3f ms, p95 %.3f ms%n",
        r.scanMedian() * 1e3, r.scanP95() * 1e3);
    log.printf(Locale.ROOT, "  BM25 is %.1fx faster than the scan (median)%n", r.bm25Speedup());
    log.printf(Locale.ROOT, "exact cosine top-%d over %,d x 384: median %.3f ms%n", s.k(),
        chunks.size(), r.cosineMedian() * 1e3);
    log.printf(Locale.ROOT, "MiniLM embedding (%d chunks): %.1f chunks/s one a pass, %.1f"
        + " chunks/s in batches of %d%n", Math.min(s.embedSample(), chunks.size()),
        r.singleChunksPerSecond(), r.batchedChunksPerSecond(), s.batch());
    log.printf(Locale.ROOT, "  batching is %.2fx the throughput of one chunk a pass%n",
        r.batchingSpeedup());
    return r;
  }

  /** Times each of the last {@code timed} queries, after the earlier ones ran untimed. */
  private static double[] time(List<String> queries, int timed,
      java.util.function.Consumer<String> run) {
    int warm = queries.size() - timed;
    for (int i = 0; i < warm; i++) {
      run.accept(queries.get(i));
    }
    double[] t = new double[timed];
    for (int i = 0; i < timed; i++) {
      long t0 = System.nanoTime();
      run.accept(queries.get(warm + i));
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(t);
    return t;
  }

  private static double median(double[] sorted) {
    return sorted[sorted.length / 2];
  }

  private static double p95(double[] sorted) {
    return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
  }

  private static List<String> vocabulary(Random random, int size) {
    String[] syllables = {"ka", "lo", "mi", "tor", "en", "sa", "vel", "qu", "rin", "do", "pa",
        "zen", "ul", "fi", "gra", "ne", "ost", "be", "chi", "war"};
    Set<String> words = new HashSet<>();
    List<String> out = new ArrayList<>();
    while (out.size() < size) {
      StringBuilder w = new StringBuilder();
      int n = 2 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        w.append(syllables[random.nextInt(syllables.length)]);
      }
      if (words.add(w.toString())) {
        out.add(w.toString());
      }
    }
    return out;
  }

  private static List<Chunk> corpus(Random random, List<String> vocabulary, int n) {
    // Zipf-like: the cumulative weights of 1/rank, searched by binary search.
    double[] cumulative = new double[vocabulary.size()];
    double sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    List<Chunk> chunks = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      int words = 40 + random.nextInt(81);
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < words; w++) {
        int idx = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
        text.append(w == 0 ? "" : " ").append(vocabulary.get(idx < 0 ? -idx - 1 : idx));
      }
      String id = "bench/" + c;
      chunks.add(new Chunk(id, id, "chunk " + c, List.of(), text.toString(), 0, text.length(),
          Map.of()));
    }
    return chunks;
  }

  private static List<String> queries(Random random, List<Chunk> chunks, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String[] words = chunks.get(random.nextInt(chunks.size())).text().split(" ");
      int len = 3 + random.nextInt(4);
      StringBuilder q = new StringBuilder();
      for (int w = 0; w < len; w++) {
        q.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      out.add(q.toString());
    }
    return out;
  }

  /** The reference: count the query's distinct words in every chunk's word set, keep the top k. */
  private static final class WordScan {
    private final List<Set<String>> words = new ArrayList<>();

    WordScan(List<Chunk> chunks) {
      for (Chunk c : chunks) {
        words.add(new HashSet<>(Arrays.asList(c.text().toLowerCase(Locale.ROOT).split("\\W+"))));
      }
    }

    List<Integer> top(String query, int k) {
      Set<String> terms =
          new HashSet<>(Arrays.asList(query.toLowerCase(Locale.ROOT).split("\\W+")));
      PriorityQueue<int[]> best = new PriorityQueue<>((a, b) -> a[0] != b[0]
          ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
      for (int i = 0; i < words.size(); i++) {
        int overlap = 0;
        for (String t : terms) {
          if (words.get(i).contains(t)) {
            overlap++;
          }
        }
        if (overlap > 0 && (best.size() < k || overlap > best.peek()[0])) {
          best.add(new int[] {overlap, i});
          if (best.size() > k) {
            best.poll();
          }
        }
      }
      List<Integer> out = new ArrayList<>();
      while (!best.isEmpty()) {
        out.add(0, best.poll()[1]);
      }
      return out;
    }
  }

  /** Seeded random unit vectors: times the cosine scan without the cost of a model. */
  private static final class RandomUnitVectors implements Embedder {
    private final int dimension;
    private final Random random;

    RandomUnitVectors(int dimension, long seed) {
      this.dimension = dimension;
      this.random = new Random(seed);
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public float[][] embed(List<String> texts) {
      float[][] out = new float[texts.size()][dimension];
      for (float[] v : out) {
        for (int d = 0; d < dimension; d++) {
          v[d] = (float) random.nextGaussian();
        }
      }
      return out; // DenseRetriever scales them to unit length
    }
  }
}
