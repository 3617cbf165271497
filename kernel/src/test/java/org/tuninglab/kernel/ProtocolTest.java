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
  private static final int HEAP_MIB = 512;

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
            "JJAVA_STARTUP_SCRIPT", "String fromStartup = \"startup ran\";",
            // A small heap, so that the OutOfMemoryError case fails fast.
            "JAVA_TOOL_OPTIONS", "-Xmx" + HEAP_MIB + "m"))
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
    // Kept for reading when an assertion fails: every reply and IOPub message the client saw.
    Files.write(Path.of("target", "protocol-check.json"), stdout);
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
  void aMillionPrintedLinesAreCappedCountedAndTheCellEnds() {
    assertEquals("ok", reply("flood").get("status").getAsString(), "the cell ended with its reply and idle status");
    List<String> texts = iopub("flood", "stream").stream().map(s -> s.get("text").getAsString()).toList();
    assertTrue(texts.size() < 50, "stream output is joined, not one message per line: " + texts.size());
    String notice = texts.get(texts.size() - 1);
    java.util.regex.Matcher truncated = java.util.regex.Pattern.compile("output truncated: (\\d+) more lines").matcher(notice);
    assertTrue(truncated.find(), notice);
    long shown = texts.subList(0, texts.size() - 1).stream().mapToLong(t -> t.lines().count()).sum();
    assertEquals(10_000, shown);
    assertEquals(1_000_000, shown + Long.parseLong(truncated.group(1)));
    assertTrue(texts.get(texts.size() - 2).endsWith("line 9999\n"), "the lines shown are the first ones, in order");
    assertEquals("42", result("after_flood"), "the kernel answers the next cell");
  }

  @Test
  void systemExitIsRefusedAndTheKernelLivesOn() {
    JsonObject error = iopub("exit", "error").get(0);
    assertEquals("ExitRefusedException", error.get("ename").getAsString());
    assertTrue(error.get("evalue").getAsString().startsWith("System.exit(3) was refused"), error.toString());
    assertEquals("43", result("after_exit"));
  }

  @Test
  void outOfMemoryNamesItsClassAndHowToRaiseTheHeap() {
    JsonObject error = iopub("oom", "error").get(0);
    assertEquals("OutOfMemoryError", error.get("ename").getAsString());
    assertEquals("OutOfMemoryError", reply("oom").get("ename").getAsString());
    String trace = traceback(error);
    assertTrue(trace.contains("Java heap space"), trace);
    // The kernel reports its own limit (about -Xmx; the JVM may round it).
    assertTrue(trace.matches("(?s).*limited to (4[5-9]\\d|5[01]\\d) MiB.*"), trace);
    assertTrue(trace.contains("-Xmx") && trace.contains("kernel.json"), trace);
    assertEquals("44", result("after_oom"));
  }

  @Test
  void timeMagicKeepsTheCellsValue() {
    assertEquals("6", result("time_magic"));
    assertEquals("42", result("time_line"));
    assertTrue(iopub("time_line", "stream").get(0).get("text").getAsString().startsWith("Wall time: "));
  }

  @Test
  void aMissingMavenArtifactIsOneLineWithTheChainBehindAFlag() {
    JsonObject error = iopub("maven_missing", "error").get(0);
    String message = error.get("evalue").getAsString();
    assertEquals("MagicException", error.get("ename").getAsString());
    assertFalse(message.contains("\n"), message);
    assertTrue(message.startsWith("Cannot resolve org.tuninglab.absent:nothing:0.0.1 from the local repository "), message);
    assertTrue(message.contains("(offline): not found there"), message);
    assertTrue(traceback(error).length() < 400, traceback(error));
    String verbose = iopub("maven_missing_verbose", "error").get(0).get("evalue").getAsString();
    assertTrue(verbose.startsWith(message.substring(0, message.indexOf(" (%maven --verbose"))), verbose);
    assertTrue(verbose.contains("caused by: org.eclipse.aether.transfer.ArtifactNotFoundException"), verbose);
  }

  @Test
  void aWildcardImportInALaterCellKeepsEarlierVariables() {
    assertEquals("ok", reply("import_later").get("status").getAsString());
    assertEquals("kept 5 0", result("import_kept"));
  }

  @Test
  void arraysAndNumbersRenderReadably() {
    assertEquals("[1, 2, 3]", result("int_array"));
    assertEquals("[0.181818, 2.0, 1e-9]", result("double_array"));
    assertEquals("[6.98649, 0.5]", result("double_list"));
    String longArray = result("long_array");
    assertTrue(longArray.startsWith("[0, 1, 2,") && longArray.endsWith(", 999] (1000 values)"), longArray);
  }

  @Test
  void inspectOnAMethodNameShowsSignaturesAndJavadocWhereTheJdkHasSources() {
    JsonObject inspect = seen.getAsJsonObject("inspect_name");
    assertTrue(inspect.get("found").getAsBoolean(), inspect.toString());
    String text = inspect.getAsJsonObject("data").get("text/plain").getAsString();
    assertTrue(text.contains("int Math.max(int a, int b)"), text);
    // The kernel runs on this JVM: JShell reads Javadoc from its lib/src.zip when that is installed.
    if (Files.isReadable(Path.of(System.getProperty("java.home"), "lib", "src.zip"))) {
      assertTrue(text.contains("Returns the greater of two"), text);
    }
    String member = seen.getAsJsonObject("inspect_member").getAsJsonObject("data").get("text/plain").getAsString();
    assertTrue(member.contains("String String.toUpperCase()"), member);
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
