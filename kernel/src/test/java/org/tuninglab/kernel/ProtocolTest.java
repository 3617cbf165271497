package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.kernel.spec.KernelSpec;

/**
 * The kernel against a real Jupyter client: Debian's jupyter_client, driven by
 * {@code protocol_check.py}, which records every reply; the assertions are here.
 * Without jupyter_client the test is skipped, except on CI ({@code CI=true}), where it fails.
 */
class ProtocolTest {

  private static final String PYTHON = "/usr/bin/python3";
  private static final String KERNEL_NAME = "tuninglab-java-test";

  @TempDir static Path tmp;
  private static JsonObject seen;

  @BeforeAll
  static void driveKernel() throws Exception {
    requireJupyterClient();
    List<Path> classpath = Arrays.stream(testClasspath().split(File.pathSeparator))
        .filter(s -> !s.isBlank()).map(Path::of).toList();
    Path fixtures = tmp.resolve("fixtures");
    markerJar(fixtures.resolve("env/env.jar"), "env-marker.txt");
    markerJar(fixtures.resolve("magic/magic.jar"), "magic-marker.txt");
    Files.writeString(fixtures.resolve("script.jshell"), "int loaded = 21;\n");
    KernelSpec.forThisJvm(KERNEL_NAME, classpath, Map.of(
            "JJAVA_CLASSPATH", fixtures.resolve("env") + "/*",
            "JJAVA_STARTUP_SCRIPT", "String fromStartup = \"startup ran\";"))
        .installInto(tmp.resolve("kernels"));
    Path script = tmp.resolve("protocol_check.py");
    try (InputStream in = ProtocolTest.class.getResourceAsStream("protocol_check.py")) {
      Files.copy(in, script);
    }
    ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), KERNEL_NAME)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("JUPYTER_PATH", tmp.toString());
    pb.environment().put("PROTOCOL_FIXTURES", fixtures.toString());
    pb.environment().put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
    Process process = pb.start();
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("protocol_check.py did not finish in 5 minutes");
    }
    assertEquals(0, process.exitValue(), "protocol_check.py failed; its stderr is above");
    seen = JsonParser.parseString(new String(stdout, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  private static void markerJar(Path jar, String resource) throws IOException {
    Files.createDirectories(jar.getParent());
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.jar.JarEntry(resource));
      out.write(resource.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }

  static String testClasspath() {
    // Surefire hides the real classpath behind a manifest jar; it publishes it here.
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  static void requireJupyterClient() throws IOException, InterruptedException {
    boolean present = Files.isExecutable(Path.of(PYTHON))
        && new ProcessBuilder(PYTHON, "-c", "import jupyter_client").start().waitFor() == 0;
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true but Debian's jupyter_client is missing: apt-get install jupyter-client python3-ipykernel");
    }
    assumeTrue(present, "Skipped: /usr/bin/python3 with jupyter_client is not installed "
        + "(apt-get install jupyter-client python3-ipykernel)");
  }

  private static List<JsonObject> iopub(String scenario, String type) {
    JsonArray messages = seen.getAsJsonObject(scenario).getAsJsonArray("iopub");
    return messages.asList().stream().map(JsonElement::getAsJsonObject)
        .filter(m -> m.get("type").getAsString().equals(type))
        .map(m -> m.getAsJsonObject("content")).toList();
  }

  private static JsonObject reply(String scenario) {
    return seen.getAsJsonObject(scenario).getAsJsonObject("reply");
  }

  private static String traceback(JsonObject error) {
    return String.join("\n", error.getAsJsonArray("traceback").asList().stream().map(JsonElement::getAsString).toList());
  }

  @Test
  void kernelInfoDescribesJava() {
    JsonObject language = seen.getAsJsonObject("kernel_info").getAsJsonObject("language_info");
    assertEquals("java", language.get("name").getAsString());
    assertEquals(".jshell", language.get("file_extension").getAsString());
  }

  @Test
  void expressionValueIsTheResultWithItsExecutionCount() {
    JsonObject result = iopub("value", "execute_result").get(0);
    assertEquals("2", result.getAsJsonObject("data").get("text/plain").getAsString());
    assertEquals(1, result.get("execution_count").getAsInt());
    assertEquals("ok", reply("value").get("status").getAsString());
  }

  @Test
  void stdoutAndStderrBecomeStreams() {
    List<JsonObject> streams = iopub("streams", "stream");
    assertTrue(streams.stream().anyMatch(s -> s.get("name").getAsString().equals("stdout")
        && s.get("text").getAsString().equals("hello\n")), streams.toString());
    assertTrue(streams.stream().anyMatch(s -> s.get("name").getAsString().equals("stderr")
        && s.get("text").getAsString().equals("oops\n")), streams.toString());
  }

  @Test
  void declarationsProduceNoResult() {
    assertTrue(iopub("declaration", "execute_result").isEmpty());
  }

  @Test
  void compileErrorNamesTheCellsLineAndColumn() {
    JsonObject error = iopub("compile_error", "error").get(0);
    assertEquals("CompilationException", error.get("ename").getAsString());
    assertTrue(error.get("evalue").getAsString().startsWith("line 2, column 9: incompatible types"),
        error.get("evalue").getAsString());
    assertTrue(traceback(error).contains("int y = \"s\";"));
  }

  @Test
  void runtimeExceptionShowsTheUsersClassAndATrimmedTrace() {
    JsonObject error = iopub("runtime_error", "error").get(0);
    assertEquals("IllegalStateException", error.get("ename").getAsString());
    assertEquals("bad", error.get("evalue").getAsString());
    String trace = traceback(error);
    assertTrue(trace.contains("boom"), trace);
    assertFalse(trace.contains("jdk.internal.reflect"), trace);
    assertFalse(trace.contains("org.tuninglab.kernel"), trace);
  }

  @Test
  void checkedExceptionKeepsItsClassName() {
    assertEquals("IOException", iopub("checked_error", "error").get(0).get("ename").getAsString());
  }

  @Test
  void kernelSurvivesErrorsAndKeepsState() {
    assertEquals("84", iopub("after_errors", "execute_result").get(0)
        .getAsJsonObject("data").get("text/plain").getAsString());
  }

  @Test
  void displayReturnsAnIdThatUpdateDisplayReuses() {
    JsonObject shown = iopub("display", "display_data").get(0);
    JsonObject updated = iopub("display", "update_display_data").get(0);
    String id = shown.getAsJsonObject("transient").get("display_id").getAsString();
    assertEquals(id, updated.getAsJsonObject("transient").get("display_id").getAsString());
    assertEquals("second", updated.getAsJsonObject("data").get("text/plain").getAsString());
    assertEquals(id, iopub("display", "execute_result").get(0).getAsJsonObject("data").get("text/plain").getAsString());
  }

  @Test
  void timeMagicRunsTheCellAndPrintsItsTime() {
    assertTrue(iopub("time_magic", "stream").get(0).get("text").getAsString().startsWith("Wall time: "));
    assertEquals("ok", reply("time_magic").get("status").getAsString());
  }

  @Test
  void mavenMagicExplainsBadCoordinates() {
    String message = iopub("maven_bad", "error").get(0).get("evalue").getAsString();
    assertTrue(message.contains("%maven expects groupId:artifactId:version"), message);
  }

  private static String result(String scenario) {
    List<JsonObject> results = iopub(scenario, "execute_result");
    assertFalse(results.isEmpty(), scenario + ": no result in " + seen.get(scenario));
    return results.get(0).getAsJsonObject("data").get("text/plain").getAsString();
  }

  @Test
  void startupScriptRunsBeforeTheFirstCell() {
    assertEquals("startup ran", result("startup"));
  }

  @Test
  void jjavaClasspathGlobsReachCells() {
    assertEquals("true", result("env_classpath"));
  }

  @Test
  void classpathMagicAddsJars() {
    assertEquals("true", result("classpath_magic"));
  }

  @Test
  void loadMagicRunsAScript() {
    assertEquals("ok", reply("load").get("status").getAsString());
    assertEquals("42", result("after_load"));
  }

  @Test
  void completionOffersMembers() {
    JsonObject complete = seen.getAsJsonObject("complete");
    List<String> matches = complete.getAsJsonArray("matches").asList().stream().map(JsonElement::getAsString).toList();
    assertTrue(matches.contains("toUpperCase("), matches.toString());
    assertEquals("\"abc\".".length() + "int k = 1;\n".length(), complete.get("cursor_start").getAsInt());
  }

  @Test
  void isCompleteTellsOpenBlocksFromFinishedCode() {
    assertEquals("incomplete", seen.getAsJsonObject("incomplete").get("status").getAsString());
    assertEquals("complete", seen.getAsJsonObject("complete_code").get("status").getAsString());
  }

  @Test
  void inspectShowsSignatures() {
    JsonObject inspect = seen.getAsJsonObject("inspect");
    assertTrue(inspect.get("found").getAsBoolean());
    assertTrue(inspect.getAsJsonObject("data").get("text/plain").getAsString().contains("Math.max(int a, int b)"));
  }

  @Test
  void interruptStopsABusyLoopAndTheKernelGoesOn() {
    JsonObject interrupt = seen.getAsJsonObject("interrupt");
    assertEquals("CellInterruptedException", interrupt.getAsJsonObject("reply").get("ename").getAsString());
    assertTrue(interrupt.get("seconds").getAsDouble() < 10, interrupt.toString());
    assertEquals("42", iopub("after_interrupt", "execute_result").get(0)
        .getAsJsonObject("data").get("text/plain").getAsString());
  }

  @Test
  void shutdownEndsTheKernelProcess() {
    assertTrue(seen.getAsJsonObject("shutdown").get("exited").getAsBoolean());
  }

  @Test
  void kernelExitsWhenItsClientIsKilled() {
    assertTrue(seen.getAsJsonObject("client_death").get("exited").getAsBoolean(), seen.get("client_death").toString());
  }
}
