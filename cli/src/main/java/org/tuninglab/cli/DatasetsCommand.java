package org.tuninglab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tuninglab.corpus.PretrainingMix;
import org.tuninglab.data.synthetic.HandbookGenerator;
import org.tuninglab.data.synthetic.SyntheticDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab datasets}: regenerate the workshop's generated data sets from their seeds. */
@Command(
    name = "datasets",
    mixinStandardHelpOptions = true,
    description =
        "Regenerate the generated data sets (story corpus, pretraining mix, entity task, cluster"
            + " handbook) from their seeds.")
public final class DatasetsCommand implements Callable<Integer> {

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The data sets folder (default: datasets).")
  Path out = Path.of("datasets");

  @Override
  public Integer call() throws Exception {
    for (Path file : SyntheticDatasets.write(out)) {
      System.out.println(file + " (" + Files.size(file) + " bytes)");
    }
    for (Path file : PretrainingMix.write(out)) {
      System.out.println(file + " (" + Files.size(file) + " bytes)");
    }
    Path handbook = out.resolve(SyntheticDatasets.HANDBOOK);
    for (String name : HandbookGenerator.generate(handbook, HandbookGenerator.SEED)) {
      Path file = handbook.resolve(name);
      System.out.println(file + " (" + Files.size(file) + " bytes)");
    }
    return 0;
  }
}
