package org.tuninglab.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tuninglab.io.IdleTimeoutInputStream;

/**
 * The two Hub HTTP calls a download needs: revision info and file content. Redirects are followed
 * here rather than by {@link HttpClient} so the token only goes to the Hub's own host, never to a
 * CDN, and so the Hub's {@code X-Linked-Etag} from the redirect itself can name the blob.
 */
final class HubClient {

  /** What {@code GET /api/models/{repo}/revision/{revision}} tells: the commit and its files. */
  record RevisionInfo(String commit, List<String> files) {}

  private static final Logger LOG = LoggerFactory.getLogger(HubClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 10;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9_-]{8,128}");

  private final URI endpoint;
  private final String token;
  private final int attempts;
  private final Duration backoff;
  private final Duration idleLimit;
  private final HttpClient http;

  HubClient(URI endpoint, String token, int attempts, Duration backoff, Duration idleLimit) {
    this.endpoint = endpoint;
    this.token = token;
    this.attempts = attempts;
    this.backoff = backoff;
    this.idleLimit = idleLimit;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(20))
        .build();
  }

  RevisionInfo revision(String repo, String revision) throws IOException {
    URI uri = URI.create(endpoint + "/api/models/" + repo + "/revision/" + encode(revision));
    String what = "revision " + revision + " of " + repo;
    return withRetries(what, () -> {
      Exchange ex = get(uri, repo, revision, null, 0);
      JsonNode root;
      try (InputStream body = ex.response.body()) {
        root = JSON.readTree(body);
      }
      String sha = root.path("sha").asText("");
      if (!HubCache.COMMIT.matcher(sha).matches()) {
        throw new IOException(uri + ": answer has no commit hash \"sha\"");
      }
      List<String> files = new ArrayList<>();
      root.path("siblings").forEach(s -> files.add(s.path("rfilename").asText()));
      return new RevisionInfo(sha, List.copyOf(files));
    });
  }

  /**
   * Fetches one file at a commit into {@code blobs}, named by its etag, unless that blob is
   * already there. Bytes go to {@code {etag}.incomplete}, renamed when complete and verified; a
   * broken transfer leaves that file, and the next attempt resumes it with a range request. A
   * response without an etag goes to a unique temporary file named by its sha256 afterwards.
   */
  Path download(String repo, String commit, String file, Path blobs, Path locks)
      throws IOException {
    URI uri = URI.create(endpoint + "/" + repo + "/resolve/" + commit + "/" + encodePath(file));
    return withRetries(file + " of " + repo, () -> {
      Exchange ex = get(uri, repo, commit, file, 0);
      Files.createDirectories(blobs);
      Optional<String> etag = ex.etag.filter(e -> SAFE_ETAG.matcher(e).matches());
      if (etag.isEmpty()) {
        Path tmp = Files.createTempFile(blobs, "download", ".incomplete");
        try {
          return store(ex, 0, tmp, null, blobs, file);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      Path blob = blobs.resolve(etag.get());
      BlobLock lock = BlobLock.acquire(locks.resolve(etag.get() + ".lock"));
      try {
        if (Files.isRegularFile(blob)) {
          ex.response.body().close();
          return blob;
        }
        Path partial = blobs.resolve(etag.get() + ".incomplete");
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        if (have > 0) {
          ex.response.body().close();
          ex = get(ex.response.uri(), repo, commit, file, have);
          if (ex.response.statusCode() == 416) {
            ex.response.body().close();
            Files.delete(partial);
            throw new IOException("partial download of " + file + " is stale; starting over");
          }
          if (ex.response.statusCode() != 206) {
            have = 0; // the server ignored the range: start over
          }
          LOG.info("resuming {} of {} at byte {}", file, repo, have);
        }
        return store(ex, have, partial, etag.get(), blobs, file);
      } finally {
        lock.close();
      }
    });
  }

  /**
   * Streams the body after the {@code have} bytes already in {@code partial}, checks length and
   * (for a sha256 etag) content, and renames the result into the blob store.
   */
  private Path store(Exchange ex, long have, Path partial, String etag, Path blobs,
      String file) throws IOException {
    MessageDigest sha256 = sha256();
    if (have > 0) {
      try (InputStream old = Files.newInputStream(partial)) {
        old.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
      }
    }
    long written;
    try (InputStream in =
            new IdleTimeoutInputStream(ex.response.body(), idleLimit, ex.response.uri().toString());
        OutputStream out = new DigestOutputStream(Files.newOutputStream(partial,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), sha256)) {
      written = in.transferTo(out);
    }
    OptionalLong expected = ex.response.headers().firstValueAsLong("Content-Length");
    if (expected.isPresent() && expected.getAsLong() != written) {
      throw new IOException("download of " + file + " from " + ex.response.uri()
          + " broke off: " + written + " of " + expected.getAsLong() + " bytes");
    }
    String digest = HexFormat.of().formatHex(sha256.digest());
    if (etag != null && SHA256.matcher(etag).matches() && !etag.equals(digest)) {
      Files.delete(partial);
      throw new IOException("download of " + file + " from " + ex.response.uri()
          + " is corrupt: sha256 " + digest + " but the Hub announced " + etag);
    }
    Path blob = blobs.resolve(etag != null ? etag : digest);
    Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    LOG.info("downloaded {} ({} bytes)", file, have + written);
    return blob;
  }

  /** A successful response with the etag seen along its redirect chain. */
  private record Exchange(HttpResponse<InputStream> response, Optional<String> etag) {}

  /**
   * GETs {@code uri}, following redirects; {@code rangeFrom > 0} asks for the bytes from there
   * on, and then a 416 answer is returned rather than thrown.
   */
  private Exchange get(URI uri, String repo, String revision, String file, long rangeFrom)
      throws IOException {
    URI current = uri;
    String linkedEtag = null;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(current)
          .timeout(Duration.ofMinutes(2))
          .header("User-Agent", "tuninglab-java");
      if (rangeFrom > 0) {
        request.header("Range", "bytes=" + rangeFrom + "-");
      }
      if (token != null && sameOrigin(current, endpoint)) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<InputStream> response = send(request.build());
      if (linkedEtag == null) {
        linkedEtag = response.headers().firstValue("X-Linked-Etag").map(HubClient::unquote)
            .orElse(null);
      }
      int status = response.statusCode();
      if (status / 100 == 3 && response.headers().firstValue("Location").isPresent()) {
        response.body().close();
        current = current.resolve(response.headers().firstValue("Location").get());
        continue;
      }
      if (status / 100 == 2 || (rangeFrom > 0 && status == 416)) {
        Optional<String> etag = Optional.ofNullable(linkedEtag)
            .or(() -> response.headers().firstValue("ETag").map(HubClient::unquote));
        return new Exchange(response, etag);
      }
      String body = errorBody(response);
      throw error(status, response.headers().firstValue("X-Error-Code").orElse(""), current,
          repo, revision, file, body);
    }
    throw new IOException("too many redirects fetching " + uri);
  }

  private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching " + request.uri());
    }
  }

  private HubException error(int status, String code, URI uri, String repo, String revision,
      String file, String body) {
    String detail = " (HTTP " + status + " for " + uri + (body.isEmpty() ? "" : ": " + body) + ")";
    if (status == 401 || status == 403) {
      String gated = code.equals("GatedRepo") ? " is gated" : " may be gated, private or missing";
      String tokenHint = token == null
          ? " No token is set: set HF_TOKEN to a Hugging Face access token with read access"
          : " The token given was refused or lacks access: check HF_TOKEN";
      return new HubException(status, "Access to " + repo + " denied: the repository" + gated
          + "." + tokenHint + ", after accepting the model's terms on its Hub page." + detail);
    }
    if (status == 404) {
      String what = switch (code) {
        case "RevisionNotFound" -> "Revision " + revision + " not found in repository " + repo;
        case "EntryNotFound" -> "File " + file + " not found in " + repo + " at " + revision;
        case "RepoNotFound" -> "Repository " + repo + " not found";
        default -> file != null
            ? "File " + file + " of " + repo + " at " + revision + " not found"
            : "Repository " + repo + " or revision " + revision + " not found";
      };
      return new HubException(status, what + " on " + endpoint + detail);
    }
    return new HubException(status, "The Hub at " + endpoint + " failed" + detail);
  }

  private static String errorBody(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      String text = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip();
      return text.replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "";
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  /** Retries transport failures and 5xx/429 with exponential backoff; other errors fail at once. */
  private <T> T withRetries(String what, Call<T> call) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return call.run();
      } catch (HubException e) {
        if (!e.retryable()) {
          throw e;
        }
        last = e;
      } catch (SocketTimeoutException e) {
        last = e; // a silent connection: the next attempt resumes the partial file
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        last = e;
      }
      if (attempt < attempts) {
        LOG.warn("fetching {} failed ({}), retrying", what, last.toString());
        sleep(backoff.multipliedBy(1L << (attempt - 1)));
      }
    }
    if (last instanceof HubException) {
      throw last;
    }
    throw new IOException("Cannot fetch " + what + " from the Hugging Face Hub at " + endpoint
        + " after " + attempts + " attempts: " + last
        + ". Check the network connection and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only"
        + " the local cache.", last);
  }

  private static void sleep(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private static String unquote(String etag) {
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    return e.replace("\"", "");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Percent-encodes one path segment (a revision such as {@code refs/pr/1} becomes one). */
  static String encode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", (int) c));
      }
    }
    return out.toString();
  }

  private static String encodePath(String path) {
    List<String> parts = new ArrayList<>();
    for (String s : path.split("/")) {
      parts.add(encode(s));
    }
    return String.join("/", parts);
  }
}
