package org.tuninglab.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a model name into a directory, offline first, as {@code huggingface_hub} does:
 *
 * <ol>
 *   <li>an existing local directory is returned as is;
 *   <li>else a complete snapshot in the Hugging Face cache ({@code HF_HUB_CACHE}, else {@code
 *       HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}); a revision that is a commit hash
 *       needs no ref;
 *   <li>else, unless offline, the needed files are downloaded from the Hub into that cache in the
 *       same layout and the snapshot directory is returned.
 * </ol>
 *
 * <pre>{@code
 * Path dir = ModelLocator.fromEnvironment().locate("Qwen/Qwen2.5-0.5B-Instruct", null);
 * }</pre>
 */
public final class ModelLocator {

  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  public static final String DEFAULT_REVISION = "main";

  private final HubCache cache;
  private final URI endpoint;
  private final String token;
  private final boolean offline;
  private final int attempts;
  private final Duration backoff;
  private final Duration idleLimit;
  private HubClient client; // made on first download: an offline locator never opens a connection

  private ModelLocator(Builder b) {
    this.cache = new HubCache(b.cacheDir);
    this.endpoint = URI.create(b.endpoint.replaceAll("/+$", ""));
    this.token = b.token;
    this.offline = b.offline;
    this.attempts = b.attempts;
    this.backoff = b.backoff;
    this.idleLimit = b.idleLimit;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A locator configured by the standard Hugging Face environment variables. */
  public static ModelLocator fromEnvironment() throws IOException {
    return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * Reads {@code HF_HUB_CACHE} (or {@code HUGGINGFACE_HUB_CACHE}), {@code HF_HOME}, {@code
   * XDG_CACHE_HOME}, {@code HF_ENDPOINT}, {@code HF_HUB_OFFLINE}, and the token from {@code
   * HF_TOKEN} (or {@code HUGGING_FACE_HUB_TOKEN}), else the file {@code HF_TOKEN_PATH}, else
   * {@code HF_HOME/token}.
   */
  static ModelLocator fromEnvironment(Map<String, String> env, Path home) throws IOException {
    Path hfHome = env(env, "HF_HOME").map(Path::of)
        .orElseGet(() -> env(env, "XDG_CACHE_HOME").map(Path::of)
            .orElse(home.resolve(".cache")).resolve("huggingface"));
    Path cacheDir = env(env, "HF_HUB_CACHE").or(() -> env(env, "HUGGINGFACE_HUB_CACHE"))
        .map(Path::of).orElse(hfHome.resolve("hub"));
    Builder b = builder()
        .optCacheDir(cacheDir)
        .optEndpoint(env(env, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT))
        .optOffline(env(env, "HF_HUB_OFFLINE").map(ModelLocator::truthy).orElse(false));
    Optional<String> token = env(env, "HF_TOKEN").or(() -> env(env, "HUGGING_FACE_HUB_TOKEN"));
    if (token.isEmpty()) {
      Path tokenFile = env(env, "HF_TOKEN_PATH").map(Path::of).orElse(hfHome.resolve("token"));
      if (Files.isRegularFile(tokenFile)) {
        token = Optional.of(Files.readString(tokenFile, StandardCharsets.UTF_8).strip())
            .filter(t -> !t.isEmpty());
      }
    }
    token.ifPresent(b::optToken);
    return b.build();
  }

  private static Optional<String> env(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static boolean truthy(String value) {
    return Set.of("1", "on", "yes", "true").contains(value.toLowerCase(Locale.ROOT));
  }

  public Path cacheDir() {
    return cache.root();
  }

  public URI endpoint() {
    return endpoint;
  }

  public boolean isOffline() {
    return offline;
  }

  /**
   * The directory holding the model {@code nameOrPath}: a local directory, or a Hub repository id
   * such as {@code HuggingFaceTB/SmolLM2-135M} found in the cache or downloaded into it.
   *
   * @param revision a branch, tag or commit hash; null means {@code main}
   * @throws IOException when the model is neither local nor cached and cannot be downloaded,
   *     saying where it looked and what to do
   */
  public Path locate(String nameOrPath, String revision) throws IOException {
    Objects.requireNonNull(nameOrPath, "nameOrPath");
    Path local = Path.of(nameOrPath);
    if (Files.isDirectory(local)) {
      return local;
    }
    String repo = checkRepo(nameOrPath);
    String rev = revision == null ? DEFAULT_REVISION : revision;
    HubCache.checkRevision(rev);
    Optional<String> commit = cache.commit(repo, rev);
    String missing = "no ref " + cache.ref(repo, rev);
    if (commit.isPresent()) {
      missing = RepoFiles.missing(cache.snapshot(repo, commit.get()));
      if (missing == null) {
        return cache.snapshot(repo, commit.get());
      }
    }
    if (offline) {
      throw new IOException("Model " + repo + " (revision " + rev + ") is not in the Hugging Face"
          + " cache, and offline mode (HF_HUB_OFFLINE) forbids downloading it. Looked in "
          + cache.repoDir(repo) + ": " + missing + ". Download it first where the network is"
          + " reachable, into the same cache (HF_HUB_CACHE or HF_HOME): java -cp ... "
          + ModelDownload.class.getName() + " " + repo
          + (revision == null ? "" : " " + revision)
          + " (or huggingface-cli download " + repo + ").");
    }
    return fetch(repo, rev);
  }

  /**
   * Brings the cache up to date with the Hub: resolves the revision there (a branch may have
   * moved) and fetches the files the cache lacks. This is the standalone download step.
   *
   * @throws IOException in offline mode, or when the Hub cannot be reached or refuses
   */
  public Path download(String repo, String revision) throws IOException {
    checkRepo(repo);
    String rev = revision == null ? DEFAULT_REVISION : revision;
    HubCache.checkRevision(rev);
    if (offline) {
      throw new IOException("Cannot download " + repo + ": offline mode is on (HF_HUB_OFFLINE);"
          + " unset it on a machine that can reach " + endpoint);
    }
    return fetch(repo, rev);
  }

  private Path fetch(String repo, String revision) throws IOException {
    HubClient client = client();
    HubClient.RevisionInfo info = client.revision(repo, revision);
    String commit = info.commit();
    Path snapshot = cache.snapshot(repo, commit);
    List<String> files = new ArrayList<>(RepoFiles.select(repo, commit, info.files()));
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i);
      if (!Files.isRegularFile(snapshot.resolve(file))) {
        Path blob = client.download(repo, commit, file, cache.blobs(repo), cache.locks(repo));
        cache.link(repo, commit, file, blob);
      }
      if (file.equals(RepoFiles.INDEX)) {
        for (String shard : RepoFiles.shards(snapshot.resolve(file))) {
          if (!files.contains(shard)) {
            files.add(shard);
          }
        }
      }
    }
    String missing = RepoFiles.missing(snapshot);
    if (missing != null) {
      throw new IOException("Downloaded " + repo + " at " + commit + " but it is incomplete: "
          + missing);
    }
    // the ref comes last: a ref always points at a complete snapshot
    if (!revision.equals(commit)) {
      cache.writeRef(repo, revision, commit);
    }
    return snapshot;
  }

  private synchronized HubClient client() {
    if (client == null) {
      client = new HubClient(endpoint, token, attempts, backoff, idleLimit);
    }
    return client;
  }

  private static String checkRepo(String nameOrPath) throws IOException {
    if (!HubCache.isRepoId(nameOrPath)) {
      throw new IOException("\"" + nameOrPath + "\" is neither an existing directory nor a"
          + " Hugging Face repository id such as org/name");
    }
    return nameOrPath;
  }

  /** Options; every one has a default, so {@code builder().build()} works. */
  public static final class Builder {

    private Path cacheDir =
        Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
    private String endpoint = DEFAULT_ENDPOINT;
    private String token;
    private boolean offline;
    private int attempts = 4;
    private Duration backoff = Duration.ofSeconds(1);
    private Duration idleLimit = Duration.ofSeconds(60);

    private Builder() {}

    /** The hub cache directory (the one holding {@code models--*}). */
    public Builder optCacheDir(Path cacheDir) {
      this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
      return this;
    }

    /** The Hub's base URL, e.g. a mirror; default https://huggingface.co. */
    public Builder optEndpoint(String endpoint) {
      URI uri = URI.create(Objects.requireNonNull(endpoint, "endpoint"));
      if (uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException("endpoint must be an http(s) URL: " + endpoint);
      }
      this.endpoint = endpoint;
      return this;
    }

    /** An access token sent as {@code Authorization: Bearer} to the Hub (not to CDNs). */
    public Builder optToken(String token) {
      this.token = token;
      return this;
    }

    /** Never touch the network; only local directories and the cache are used. */
    public Builder optOffline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Tries per request for connection failures and 5xx answers, and the first wait between. */
    public Builder optRetries(int attempts, Duration backoff) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
      }
      this.attempts = attempts;
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * How long a download may wait for its next bytes before the attempt fails (and is resumed
     * by the next one); default 60 s.
     */
    public Builder optIdleTimeout(Duration limit) {
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("idle timeout must be positive: " + limit);
      }
      this.idleLimit = limit;
      return this;
    }

    public ModelLocator build() {
      return new ModelLocator(this);
    }
  }
}
