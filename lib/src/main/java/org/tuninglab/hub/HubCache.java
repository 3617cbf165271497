package org.tuninglab.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tuninglab.io.AtomicFiles;

/**
 * The Hugging Face cache layout shared with {@code huggingface_hub}: {@code
 * models--{org}--{name}/refs/{revision}} holds a commit hash, {@code snapshots/{commit}/{file}} is
 * a relative symlink to {@code blobs/{etag}}.
 */
final class HubCache {

  static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern REPO_ID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._/-]+");

  private final Path root;

  HubCache(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  static boolean isRepoId(String s) {
    return REPO_ID.matcher(s).matches() && !s.contains("..") && !s.contains("--");
  }

  static void checkRevision(String revision) {
    if (!REVISION.matcher(revision).matches() || revision.contains("..")
        || revision.startsWith("/") || revision.endsWith("/")) {
      throw new IllegalArgumentException("invalid revision \"" + revision + "\"");
    }
  }

  Path repoDir(String repo) {
    return root.resolve("models--" + repo.replace("/", "--"));
  }

  Path blobs(String repo) {
    return repoDir(repo).resolve("blobs");
  }

  /** Where download locks live, outside the repository folder as {@code huggingface_hub} keeps them. */
  Path locks(String repo) {
    return root.resolve(".locks").resolve(repoDir(repo).getFileName());
  }

  Path snapshot(String repo, String commit) {
    return repoDir(repo).resolve("snapshots").resolve(commit);
  }

  Path ref(String repo, String revision) {
    return repoDir(repo).resolve("refs").resolve(revision);
  }

  /** The commit a revision names: itself when it is a hash, else the ref file's content. */
  Optional<String> commit(String repo, String revision) throws IOException {
    if (COMMIT.matcher(revision).matches()) {
      return Optional.of(revision);
    }
    Path ref = ref(repo, revision);
    if (!Files.isRegularFile(ref)) {
      return Optional.empty();
    }
    String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
    return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
  }

  void writeRef(String repo, String revision, String commit) throws IOException {
    AtomicFiles.writeString(ref(repo, revision), commit);
  }

  /**
   * Points {@code snapshots/{commit}/{file}} at a blob with a relative symlink, replacing any
   * earlier link atomically; copies where the file system has no symlinks.
   */
  void link(String repo, String commit, String file, Path blob) throws IOException {
    Path target = snapshot(repo, commit).resolve(file);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".link");
    Files.deleteIfExists(tmp);
    try {
      try {
        Files.createSymbolicLink(tmp, target.getParent().relativize(blob));
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
