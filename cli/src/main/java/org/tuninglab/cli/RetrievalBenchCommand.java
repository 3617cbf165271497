package org.tuninglab.cli;

import java.util.concurrent.Callable;
import org.tuninglab.bench.RetrievalBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench retrieval}: BM25, cosine and embedding costs against references. */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
    description = "BM25 index build and query latency against a brute-force word scan, exact"
        + " cosine top-k, and MiniLM embedding throughput batched against one chunk a pass.")
final class RetrievalBenchCommand implements Callable<Integer> {
  @Option(names = "--chunks", defaultValue = "10000",
      description = "Chunks in the generated corpus (default: ${DEFAULT-VALUE}).")
  int chunks;

  @Option(names = "--queries", defaultValue = "200",
      description = "Timed queries, after as many untimed (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--k", defaultValue = "10",
      description = "Results a query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--embed-sample", defaultValue = "64",
      description = "Chunks embedded for the throughput figures (default: ${DEFAULT-VALUE}).")
  int embedSample;

  @Option(names = "--batch", defaultValue = "32",
      description = "Texts a forward pass when batched (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "1",
      description = "Corpus seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    RetrievalBenchmark.run(
        new RetrievalBenchmark.Settings(chunks, queries, k, embedSample, batch, seed), System.out);
    return 0;
  }
}
