package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/build-djl-jni.sh refuses what it cannot build from, naming the folder and what it expected.
 * The build itself needs a torch release's headers and ran on the GPU machine (docs/gpu.md).
 */
class BuildDjlJniScriptTest {

  @TempDir Path tmp;

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void bothFoldersAreRequired() throws Exception {
    assertRefused("--djl-source DIR is required");
    assertRefused("--torch-lib DIR is required", "--djl-source", tmp.toString());
  }

  @Test
  void aFolderThatIsNotADjlCheckoutIsNamed() throws Exception {
    Path torchLib = wheel("2.11.0+cu130", true, true);
    assertRefused(tmp + ": no engines/pytorch/pytorch-native/src/main/native/djl_pytorch_utils.h; is it a DJL checkout?",
        "--djl-source", tmp.toString(), "--torch-lib", torchLib.toString());
  }

  @Test
  void aTorchFolderWithoutLibtorchOrHeadersIsNamed() throws Exception {
    Path djl = djlCheckout();
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertRefused(empty + ": no libtorch.so there", "--djl-source", djl.toString(), "--torch-lib", empty.toString());
    Path noHeaders = wheel("2.11.0+cu130", true, false);
    assertRefused(noHeaders.getParent() + "/include: no torch/csrc/api/include/torch/torch.h",
        "--djl-source", djl.toString(), "--torch-lib", noHeaders.toString());
  }

  @Test
  void aCudaBuildMustNameItsCudaTagForDjlsCacheFolder() throws Exception {
    Path torchLib = wheel("2.11.0", true, true);
    assertRefused(torchLib.getParent() + ": a CUDA build whose version '2.11.0' names no cuNNN tag",
        "--djl-source", djlCheckout().toString(), "--torch-lib", torchLib.toString());
  }

  private void assertRefused(String expected, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/build-djl-jni.sh").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), log);
    assertEquals(1, p.exitValue(), log);
    assertTrue(log.contains("build-djl-jni: " + expected), log);
  }

  // The three files the script checks for before it reads anything else.
  private Path djlCheckout() throws Exception {
    Path djl = tmp.resolve("djl");
    Files.createDirectories(djl.resolve("engines/pytorch/pytorch-native/src/main/native"));
    Files.createFile(djl.resolve("engines/pytorch/pytorch-native/src/main/native/djl_pytorch_utils.h"));
    Files.createDirectories(djl.resolve("api/src/main/native/djl"));
    Files.createFile(djl.resolve("api/src/main/native/djl/utils.h"));
    Path jni = Files.createDirectories(djl.resolve("engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni"));
    Files.createFile(jni.resolve("PyTorchLibrary.java"));
    return djl;
  }

  // site-packages/torch/{version.py, lib/libtorch.so[, lib/libtorch_cuda.so], include/...}
  private Path wheel(String version, boolean cuda, boolean headers) throws Exception {
    Path torch = Files.createDirectories(tmp.resolve("wheel-" + version + "-" + headers + "/torch"));
    Files.writeString(torch.resolve("version.py"), "__version__ = '" + version + "'\n");
    Path lib = Files.createDirectories(torch.resolve("lib"));
    Files.createFile(lib.resolve("libtorch.so"));
    if (cuda) {
      Files.createFile(lib.resolve("libtorch_cuda.so"));
    }
    if (headers) {
      Path api = Files.createDirectories(torch.resolve("include/torch/csrc/api/include/torch"));
      Files.createFile(api.resolve("torch.h"));
    }
    return lib;
  }
}
