package org.tuninglab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
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
  public Integer call() {
    int retrieval = new CommandLine(new RetrievalBenchCommand()).execute();
    System.out.println();
    int serving = new CommandLine(new ServeBenchCommand()).execute();
    return Math.max(retrieval, serving);
  }
}
