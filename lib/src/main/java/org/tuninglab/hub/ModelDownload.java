package org.tuninglab.hub;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The download as a step of its own: run it where the network is reachable (a cluster's
 * data-transfer node), then run jobs with {@code HF_HUB_OFFLINE=1} against the same cache.
 *
 * <pre>
 * java -cp tuninglab-lib.jar:... org.tuninglab.hub.ModelDownload REPO [REVISION]
 * </pre>
 *
 * Prints the snapshot directory; configured by the usual {@code HF_*} environment variables.
 */
public final class ModelDownload {

  private ModelDownload() {}

  /** Downloads {@code repo} at {@code revision} (null: main) into the environment's cache. */
  public static Path download(String repo, String revision) throws IOException {
    return ModelLocator.fromEnvironment().download(repo, revision);
  }

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ModelDownload REPO [REVISION]");
      System.exit(2);
    }
    try {
      System.out.println(download(args[0], args.length == 2 ? args[1] : null));
    } catch (IOException | RuntimeException e) {
      System.err.println("download failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
