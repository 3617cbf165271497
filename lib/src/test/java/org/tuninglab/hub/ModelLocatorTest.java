package org.tuninglab.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.checkpoint.Checkpoint;
import org.tuninglab.checkpoint.CheckpointWriter;
import org.tuninglab.checkpoint.FloatTensor;
import org.tuninglab.checkpoint.TensorDType;

// a hanging download must fail the build, not stall it: the separate thread gives up even on
// a read that ignores interrupts (java.net.http body streams do)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModelLocatorTest {

  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String CONFIG = "{\"model_type\":\"llama\",\"hidden_size\":4}";

  @TempDir Path tmp;
  private FakeHub hub;
  private Path cache;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    cache = tmp.resolve("hub");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private ModelLocator.Builder locator() {
    return ModelLocator.builder().optCacheDir(cache).optEndpoint(hub.endpoint())
        .optRetries(3, Duration.ofMillis(1));
  }

  private static LinkedHashMap<String, FloatTensor> tensors() {
    LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
    t.put("embed", new FloatTensor(new long[] {2, 2}, new float[] {1, 2, 3, 4}));
    t.put("head", new FloatTensor(new long[] {2}, new float[] {5, 6}));
    return t;
  }

  private byte[] weights() throws IOException {
    Path file = tmp.resolve("w.safetensors");
    CheckpointWriter.writeFile(file, tensors(), TensorDType.BF16, Map.of());
    return Files.readAllBytes(file);
  }

  private void addTinyModel(String repo, String token) throws IOException {
    hub.add(repo, new FakeHub.Repo(COMMIT, FakeHub.files(
        "config.json", CONFIG,
        "generation_config.json", "{}",
        "tokenizer.json", "{\"model\":{}}",
        "tokenizer_config.json", "{}",
        "README.md", "# tiny",
        "pytorch_model.bin", new byte[64],
        "onnx/model.onnx", new byte[8],
        "model.safetensors", weights()),
        Set.of("model.safetensors"), token, false));
  }

  private List<String> paths() {
    return hub.requests().stream().map(FakeHub.Request::path).collect(Collectors.toList());
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void downloadsIntoTheStandardCacheLayoutThenHitsTheCache() throws IOException {
    addTinyModel("acme/tiny", null);
    Path snapshot = locator().build().locate("acme/tiny", null);

    Path repoDir = cache.resolve("models--acme--tiny");
    assertEquals(repoDir.resolve("snapshots").resolve(COMMIT), snapshot);
    assertEquals(COMMIT, Files.readString(repoDir.resolve("refs/main")));
    assertEquals(List.of("config.json", "generation_config.json", "model.safetensors",
        "tokenizer.json", "tokenizer_config.json"), list(snapshot));
    byte[] config = CONFIG.getBytes();
    assertEquals(Path.of("../../blobs/" + FakeHub.gitSha(config)),
        Files.readSymbolicLink(snapshot.resolve("config.json")));
    assertEquals(Path.of("../../blobs/" + FakeHub.sha256(weights())),
        Files.readSymbolicLink(snapshot.resolve("model.safetensors")));
    assertTrue(list(repoDir.resolve("blobs")).stream().noneMatch(n -> n.endsWith(".incomplete")));
    // generation_config.json and tokenizer_config.json are both "{}": one blob serves both
    assertEquals(4, list(repoDir.resolve("blobs")).size());
    assertEquals(Files.readSymbolicLink(snapshot.resolve("generation_config.json")),
        Files.readSymbolicLink(snapshot.resolve("tokenizer_config.json")));
    assertArrayEquals(config, Files.readAllBytes(snapshot.resolve("config.json")));
    try (Checkpoint ckpt = Checkpoint.open(snapshot)) {
      assertArrayEquals(new float[] {1, 2, 3, 4}, ckpt.readFloats("embed"));
    }
    List<String> fetched = paths();
    assertTrue(fetched.contains("/acme/tiny/resolve/" + COMMIT + "/model.safetensors"));
    assertTrue(fetched.contains("/cdn/" + FakeHub.sha256(weights())), "redirect followed");
    assertTrue(fetched.stream().noneMatch(p -> p.endsWith(".bin") || p.contains("onnx")
        || p.endsWith("README.md")), fetched.toString());

    int before = hub.requests().size();
    assertEquals(snapshot, locator().build().locate("acme/tiny", "main"));
    assertEquals(snapshot, locator().optOffline(true).build().locate("acme/tiny", null));
    assertEquals(snapshot, locator().optOffline(true).build().locate("acme/tiny", COMMIT));
    assertEquals(before, hub.requests().size(), "cache hits make no requests");
  }

  @Test
  void shardedRepositoryBringsEveryShard() throws IOException {
    Path dir = tmp.resolve("sharded");
    LinkedHashMap<String, FloatTensor> t = tensors();
    CheckpointWriter.writeDirectory(dir, t, TensorDType.F32, 16);
    hub.add("acme/sharded", new FakeHub.Repo(COMMIT, FakeHub.files(
        "config.json", CONFIG,
        "model.safetensors.index.json", Files.readAllBytes(dir.resolve("model.safetensors.index.json")),
        "model-00001-of-00002.safetensors", Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors")),
        "model-00002-of-00002.safetensors", Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors"))),
        Set.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"), null, false));
    Path snapshot = locator().build().locate("acme/sharded", null);
    try (Checkpoint ckpt = Checkpoint.open(snapshot)) {
      assertEquals(t.keySet(), ckpt.names());
      assertArrayEquals(new float[] {5, 6}, ckpt.readFloats("head"));
    }
  }

  @Test
  void adapterRepository() throws IOException {
    hub.add("acme/lora", new FakeHub.Repo(COMMIT, FakeHub.files(
        "adapter_config.json", "{\"peft_type\":\"LORA\"}",
        "adapter_model.safetensors", weights(),
        "adapter_model.bin", new byte[4]), Set.of(), null, false));
    Path snapshot = locator().build().locate("acme/lora", null);
    assertEquals(List.of("adapter_config.json", "adapter_model.safetensors"), list(snapshot));
  }

  @Test
  void offlineNeverRequestsAndSaysWhatToDo() throws IOException {
    addTinyModel("acme/tiny", null);
    ModelLocator offline = locator().optOffline(true).build();
    IOException e = assertThrows(IOException.class, () -> offline.locate("acme/tiny", null));
    assertMessage(e, "acme/tiny", "not in the Hugging Face cache", "HF_HUB_OFFLINE",
        cache.resolve("models--acme--tiny").toString(), "ModelDownload");
    assertMessage(assertThrows(IOException.class, () -> offline.download("acme/tiny", null)),
        "offline");
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void offlineReportsAnIncompleteSnapshot() throws IOException {
    Path snapshot = Files.createDirectories(cache.resolve("models--acme--half/snapshots/" + COMMIT));
    Files.writeString(snapshot.resolve("config.json"), CONFIG);
    Files.createDirectories(cache.resolve("models--acme--half/refs"));
    Files.writeString(cache.resolve("models--acme--half/refs/main"), COMMIT);
    IOException e = assertThrows(IOException.class,
        () -> locator().optOffline(true).build().locate("acme/half", null));
    assertMessage(e, "has no model.safetensors");
  }

  @Test
  void tokenIsSentToTheHubButNotToTheCdn() throws IOException {
    addTinyModel("acme/gated", "secret");
    Path snapshot = locator().optToken("secret").build().locate("acme/gated", null);
    assertTrue(Files.isRegularFile(snapshot.resolve("model.safetensors")));
    for (FakeHub.Request r : hub.requests()) {
      if (r.path().startsWith("/cdn/")) {
        assertNull(r.authorization(), "token leaked to " + r.path());
      } else {
        assertEquals("Bearer secret", r.authorization(), r.path());
      }
    }
  }

  @Test
  void gatedRepositoryWithoutTheRightToken() throws IOException {
    addTinyModel("acme/gated", "secret");
    HubException none = assertThrows(HubException.class,
        () -> locator().build().locate("acme/gated", null));
    assertEquals(401, none.statusCode());
    assertMessage(none, "acme/gated", "gated", "No token is set", "HF_TOKEN");
    HubException wrong = assertThrows(HubException.class,
        () -> locator().optToken("guess").build().locate("acme/gated", null));
    assertMessage(wrong, "acme/gated", "gated", "token given was refused", "HF_TOKEN");
    assertEquals(2, hub.requests().size(), "no retries on 401");
    assertFalse(Files.exists(cache.resolve("models--acme--gated/refs")));
  }

  @Test
  void repositoryOrRevisionNotFound() throws IOException {
    addTinyModel("acme/tiny", null);
    HubException repo = assertThrows(HubException.class,
        () -> locator().build().locate("acme/nothing", null));
    assertEquals(404, repo.statusCode());
    assertMessage(repo, "Repository acme/nothing not found", hub.endpoint());
    HubException rev = assertThrows(HubException.class,
        () -> locator().build().locate("acme/tiny", "v9"));
    assertMessage(rev, "Revision v9 not found", "acme/tiny");
  }

  @Test
  void connectionRefusedIsRetriedThenExplained() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    ModelLocator locator = locator().optEndpoint(endpoint).build();
    IOException e = assertThrows(IOException.class, () -> locator.locate("acme/tiny", null));
    assertMessage(e, "Cannot fetch", endpoint, "after 3 attempts", "HF_HUB_OFFLINE");
  }

  @Test
  void serverErrorsAreRetried() throws IOException {
    addTinyModel("acme/tiny", null);
    hub.failNext(2);
    Path snapshot = locator().build().locate("acme/tiny", null);
    assertTrue(Files.isRegularFile(snapshot.resolve("config.json")));
    hub.failNext(5);
    assertMessage(assertThrows(HubException.class, () -> locator().build().download("acme/tiny", null)),
        "HTTP 503", "busy");
  }

  @Test
  void aBrokenTransferResumesWithARangeRequest() throws IOException {
    addTinyModel("acme/tiny", null);
    String cdnPath = "/cdn/" + FakeHub.sha256(weights());
    String configPath = "/acme/tiny/resolve/" + COMMIT + "/config.json";
    hub.cutOnce(cdnPath);
    hub.cutOnce(configPath);
    Path snapshot = locator().build().locate("acme/tiny", null);

    assertArrayEquals(weights(), Files.readAllBytes(snapshot.resolve("model.safetensors")));
    assertArrayEquals(CONFIG.getBytes(), Files.readAllBytes(snapshot.resolve("config.json")));
    List<String> ranges = hub.requests().stream()
        .filter(r -> r.range() != null).map(r -> r.path() + " " + r.range())
        .collect(Collectors.toList());
    assertEquals(List.of(configPath + " bytes=" + CONFIG.length() / 2 + "-",
        cdnPath + " bytes=" + weights().length / 2 + "-"), ranges);
    assertTrue(list(cache.resolve("models--acme--tiny/blobs")).stream()
        .noneMatch(n -> n.endsWith(".incomplete")));
  }

  @Test
  void aDownloadThatGoesSilentTimesOutAndResumes() throws IOException {
    addTinyModel("acme/tiny", null);
    String cdnPath = "/cdn/" + FakeHub.sha256(weights());
    hub.stallOnce(cdnPath);
    Path snapshot =
        locator().optIdleTimeout(Duration.ofMillis(300)).build().locate("acme/tiny", null);

    assertArrayEquals(weights(), Files.readAllBytes(snapshot.resolve("model.safetensors")));
    List<String> ranges = hub.requests().stream()
        .filter(r -> r.range() != null).map(r -> r.path() + " " + r.range())
        .collect(Collectors.toList());
    assertEquals(List.of(cdnPath + " bytes=" + weights().length / 2 + "-"), ranges);
  }

  @Test
  void aDownloadThatStaysSilentFailsNamingTheTimeout() throws IOException {
    addTinyModel("acme/tiny", null);
    String cdnPath = "/cdn/" + FakeHub.sha256(weights());
    hub.stallOnce(cdnPath);
    ModelLocator oneTry = ModelLocator.builder().optCacheDir(cache).optEndpoint(hub.endpoint())
        .optRetries(1, Duration.ofMillis(1)).optIdleTimeout(Duration.ofMillis(300)).build();
    IOException e = assertThrows(IOException.class, () -> oneTry.locate("acme/tiny", null));
    assertMessage(e, "after 1 attempts", "no data from", "for 300 ms");
  }

  @Test
  void aStalePartialDownloadStartsOver() throws IOException {
    addTinyModel("acme/tiny", null);
    Path blobs = Files.createDirectories(cache.resolve("models--acme--tiny/blobs"));
    // as long as the file: the server answers 416, so the client drops it and starts over
    Files.write(blobs.resolve(FakeHub.gitSha(CONFIG.getBytes()) + ".incomplete"),
        new byte[CONFIG.length()]);
    Path snapshot = locator().build().locate("acme/tiny", null);
    assertArrayEquals(CONFIG.getBytes(), Files.readAllBytes(snapshot.resolve("config.json")));
  }

  @Test
  void corruptDownloadIsRejectedAndLeavesNoBlob() throws IOException {
    hub.add("acme/bad", new FakeHub.Repo(COMMIT, FakeHub.files("config.json", CONFIG,
        "model.safetensors", weights()), Set.of("model.safetensors"), null, true));
    IOException e = assertThrows(IOException.class,
        () -> locator().optRetries(1, Duration.ZERO).build().locate("acme/bad", null));
    assertMessage(e, "model.safetensors", "corrupt", "sha256");
    Path blobs = cache.resolve("models--acme--bad/blobs");
    assertEquals(1, list(blobs).size(), "only config.json's blob: " + list(blobs));
    assertFalse(Files.exists(cache.resolve("models--acme--bad/refs/main")));
  }

  @Test
  void downloadRefreshesAMovedBranch() throws IOException {
    addTinyModel("acme/tiny", null);
    Path first = locator().build().download("acme/tiny", null);
    String next = "fedcba9876543210fedcba9876543210fedcba98";
    hub.add("acme/tiny", new FakeHub.Repo(next, FakeHub.files("config.json", CONFIG,
        "model.safetensors", weights()), Set.of("model.safetensors"), null, false));
    Path second = locator().build().download("acme/tiny", null);
    assertEquals(first.resolveSibling(next), second);
    assertEquals(next, Files.readString(cache.resolve("models--acme--tiny/refs/main")));
    // same blobs: nothing downloaded twice, only linked
    assertEquals(4, list(cache.resolve("models--acme--tiny/blobs")).size());
  }

  @Test
  void localDirectoryIsReturnedAsIs() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("my-model"));
    assertEquals(dir, locator().optOffline(true).build().locate(dir.toString(), null));
    assertMessage(assertThrows(IOException.class,
        () -> locator().build().locate(tmp.resolve("absent").toString(), null)),
        "neither an existing directory nor", "repository id");
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void environmentPicksCacheEndpointOfflineAndToken() throws IOException {
    Path home = tmp.resolve("home");
    ModelLocator plain = ModelLocator.fromEnvironment(Map.of(), home);
    assertEquals(home.resolve(".cache/huggingface/hub"), plain.cacheDir());
    assertEquals("https://huggingface.co", plain.endpoint().toString());
    assertFalse(plain.isOffline());

    assertEquals(tmp.resolve("hf/hub"), ModelLocator.fromEnvironment(
        Map.of("HF_HOME", tmp.resolve("hf").toString()), home).cacheDir());
    assertEquals(tmp.resolve("c"), ModelLocator.fromEnvironment(Map.of(
        "HF_HOME", tmp.resolve("hf").toString(), "HF_HUB_CACHE", tmp.resolve("c").toString()),
        home).cacheDir());
    for (String yes : List.of("1", "true", "YES", "on")) {
      assertTrue(ModelLocator.fromEnvironment(Map.of("HF_HUB_OFFLINE", yes), home).isOffline(), yes);
    }
    assertFalse(ModelLocator.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), home).isOffline());
    assertEquals("http://mirror.example:8080", ModelLocator.fromEnvironment(
        Map.of("HF_ENDPOINT", "http://mirror.example:8080/"), home).endpoint().toString());
  }

  @Test
  void environmentTokenFromVariableOrFile() throws IOException {
    addTinyModel("acme/gated", "secret");
    Path hfHome = Files.createDirectories(tmp.resolve("hf"));
    Files.writeString(hfHome.resolve("token"), "secret\n");
    Map<String, String> env = Map.of("HF_HOME", hfHome.toString(), "HF_ENDPOINT", hub.endpoint());
    Path snapshot = ModelLocator.fromEnvironment(env, tmp).locate("acme/gated", null);
    assertEquals(hfHome.resolve("hub/models--acme--gated/snapshots/" + COMMIT), snapshot);
    Map<String, String> wrong = new LinkedHashMap<>(env);
    wrong.put("HF_TOKEN", "guess");
    wrong.put("HF_HUB_CACHE", tmp.resolve("other").toString());
    assertThrows(HubException.class, () -> ModelLocator.fromEnvironment(wrong, tmp).locate("acme/gated", null));
  }

  private static void assertMessage(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part),
          "message should contain <" + part + "> but was: " + e.getMessage());
    }
  }
}
