package org.tuninglab.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server answering like the Hugging Face Hub: revision info under {@code
 * /api/models}, files under {@code /resolve/} with ETags; "LFS" files redirect (with {@code
 * X-Linked-Etag}, the sha256) to a CDN path on another host name ({@code localhost}) as the Hub
 * does; gated repositories want a token; unknown things get 404 with {@code X-Error-Code}.
 */
final class FakeHub implements AutoCloseable {

  record Request(String method, String path, String authorization, String range) {}

  record Repo(String commit, Map<String, byte[]> files, Set<String> lfs, String token,
      boolean corruptEtag) {}

  private final HttpServer server;
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, byte[]> cdn = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failures = new AtomicInteger();
  private final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
  private final Set<String> stallOnce = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);

  FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool()); // a stalled answer must not block others
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void add(String repo, Repo r) {
    repos.put(repo, r);
    r.lfs().forEach(f -> cdn.put(sha256(r.files().get(f)), r.files().get(f)));
  }

  /** The next {@code n} requests get 503. */
  void failNext(int n) {
    failures.set(n);
  }

  /** The next response with this path sends half its body, then drops the connection. */
  void cutOnce(String path) {
    cutOnce.add(path);
  }

  /** The next response with this path sends half its body, then goes silent until closed. */
  void stallOnce(String path) {
    stallOnce.add(path);
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    requests.add(new Request(ex.getRequestMethod(), path,
        ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Range")));
    try (ex) {
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(ex, 503, "busy".getBytes(StandardCharsets.UTF_8));
      } else if (path.startsWith("/cdn/")) {
        byte[] body = cdn.get(path.substring(5));
        ex.getResponseHeaders().add("ETag", "\"cdn-" + path.substring(5, 13) + "\"");
        if (body == null) {
          send(ex, 404, new byte[0]);
        } else {
          serve(ex, path, body);
        }
      } else if (path.startsWith("/api/models/")) {
        String rest = path.substring("/api/models/".length());
        int cut = rest.indexOf("/revision/");
        String repo = rest.substring(0, cut);
        String revision = URLDecoder.decode(rest.substring(cut + 10), StandardCharsets.UTF_8);
        Repo r = check(ex, repo, revision);
        if (r != null) {
          ObjectMapper json = new ObjectMapper();
          ObjectNode root = json.createObjectNode().put("id", repo).put("sha", r.commit());
          r.files().keySet().forEach(f -> root.withArray("siblings").addObject().put("rfilename", f));
          send(ex, 200, json.writeValueAsBytes(root));
        }
      } else if (path.contains("/resolve/")) {
        int cut = path.indexOf("/resolve/");
        String repo = path.substring(1, cut);
        String[] rest = path.substring(cut + 9).split("/", 2);
        Repo r = check(ex, repo, rest[0]);
        if (r != null) {
          String file = URLDecoder.decode(rest[1], StandardCharsets.UTF_8);
          byte[] body = r.files().get(file);
          if (body == null) {
            ex.getResponseHeaders().add("X-Error-Code", "EntryNotFound");
            send(ex, 404, new byte[0]);
          } else if (r.lfs().contains(file)) {
            String sha = sha256(body);
            ex.getResponseHeaders().add("X-Linked-Etag",
                "\"" + (r.corruptEtag() ? sha256(new byte[1]) : sha) + "\"");
            ex.getResponseHeaders().add("ETag", "\"" + gitSha(body) + "\"");
            ex.getResponseHeaders().add("Location",
                "http://localhost:" + server.getAddress().getPort() + "/cdn/" + sha);
            send(ex, 302, new byte[0]);
          } else {
            ex.getResponseHeaders().add("ETag", "\"" + gitSha(body) + "\"");
            serve(ex, path, body);
          }
        }
      } else {
        send(ex, 404, new byte[0]);
      }
    }
  }

  /** The repository if the request may see it at that revision, else answers with an error. */
  private Repo check(HttpExchange ex, String repo, String revision) throws IOException {
    Repo r = repos.get(repo);
    if (r == null) {
      ex.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
      send(ex, 404, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
      return null;
    }
    if (r.token() != null && !("Bearer " + r.token()).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.getResponseHeaders().add("X-Error-Code", "GatedRepo");
      send(ex, 401, "{\"error\":\"Access to model is restricted\"}".getBytes(StandardCharsets.UTF_8));
      return null;
    }
    if (!revision.equals("main") && !revision.equals(r.commit())) {
      ex.getResponseHeaders().add("X-Error-Code", "RevisionNotFound");
      send(ex, 404, new byte[0]);
      return null;
    }
    return r;
  }

  /** A file body, honouring {@code Range: bytes=N-} and a pending {@link #cutOnce}. */
  private void serve(HttpExchange ex, String path, byte[] body) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null && range.matches("bytes=\\d+-")) {
      int from = Integer.parseInt(range.substring(6, range.length() - 1));
      if (from >= body.length) {
        send(ex, 416, new byte[0]);
        return;
      }
      ex.getResponseHeaders().add("Content-Range",
          "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
      send(ex, 206, Arrays.copyOfRange(body, from, body.length));
    } else if (cutOnce.remove(path)) {
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body, 0, body.length / 2);
      ex.getResponseBody().flush();
      throw new IOException("cut on purpose"); // the server drops the connection
    } else if (stallOnce.remove(path)) {
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body, 0, body.length / 2);
      ex.getResponseBody().flush();
      try {
        closed.await(); // the connection stays open, and silent
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      send(ex, 200, body);
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  static String sha256(byte[] data) {
    return digest("SHA-256", data);
  }

  /** Like git's blob id, the Hub's ETag for files kept in git. */
  static String gitSha(byte[] data) {
    byte[] prefix = ("blob " + data.length + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[prefix.length + data.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(data, 0, all, prefix.length, data.length);
    return digest("SHA-1", all);
  }

  private static String digest(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, byte[]> files(Object... nameThenContent) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      Object c = nameThenContent[i + 1];
      out.put((String) nameThenContent[i],
          c instanceof byte[] b ? b : c.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }
}
