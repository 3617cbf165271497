package org.tuninglab.cli;

import java.util.concurrent.Callable;
import org.tuninglab.bench.RetrievalBenchmark;
import org.tuninglab.bench.ServingBenchmark;
import picocli.CommandLine.Command;

/**
 * {@code tuninglab bench rag}: the prompting-and-RAG figures in one run — retrieval (BM25 build and
 * query over 10k chunks, embedding throughput) then generation through the HTTP server vs
 * in-process — each with the defaults of {@code bench retrieval} and {@code bench serve}.
 */
@Command(name = "rag", mixinStandardHelpOptions = true,
    description = "bench retrieval then bench serve, with their defaults, in one run.")
final class RagBenchCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    RetrievalBenchmark.run(new RetrievalBenchmark.Settings(10_000, 200, 10, 64, 32, 1), System.out);
    System.out.println();
    ServingBenchmark.run(new ServingBenchmark.Settings(8, 64, 3, 4), System.out);
    return 0;
  }
}
