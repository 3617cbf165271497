package org.tuninglab.track;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The source revision a run was made from.
 *
 * @param commit the full commit hash of HEAD
 * @param dirty true when tracked files differ from that commit
 */
public record GitInfo(String commit, boolean dirty) {

  // A process does not change its checkout; asking git once per folder keeps sweeps cheap.
  private static final java.util.Map<Path, java.util.Optional<GitInfo>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** Asks {@code git} about {@code dir} (once per process); null when git or a repository is absent. */
  public static GitInfo capture(Path dir) {
    return CACHE.computeIfAbsent(dir.toAbsolutePath(), d -> java.util.Optional.ofNullable(ask(d))).orElse(null);
  }

  private static GitInfo ask(Path dir) {
    String head = git(dir, "rev-parse", "HEAD");
    if (head == null || head.isBlank()) {
      return null;
    }
    String status = git(dir, "status", "--porcelain", "--untracked-files=no");
    return new GitInfo(head.strip(), status != null && !status.isBlank());
  }

  private static String git(Path dir, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      p.getOutputStream().close();
      p.getErrorStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
