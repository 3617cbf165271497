package org.tuninglab.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a libtorch from fake folders laid out like a pip wheel, a libtorch zip and DJL's cache. */
class LibtorchLocationTest {

  @TempDir Path tmp;

  private static final Path NO_HOME = Path.of("/nonexistent-home");

  @Test
  void parsesTheChoice() {
    assertEquals(TorchChoice.CPU, TorchChoice.parse("cpu"));
    assertEquals(TorchChoice.CUDA, TorchChoice.parse(" CUDA "));
    assertEquals(TorchChoice.CUDA, TorchChoice.parse("gpu"));
    assertEquals(TorchChoice.Kind.FOLDER, TorchChoice.parse("/opt/torch/lib").kind());
    assertEquals(Optional.empty(), TorchChoice.fromEnvironment(Map.of()));
    TorchSelectionException e = assertThrows(TorchSelectionException.class, () -> TorchChoice.parse("cuda12"));
    assertTrue(e.getMessage().contains("TUNINGLAB_TORCH='cuda12' is not understood"), e.getMessage());
  }

  @Test
  void aFolderWithoutLibtorchNamesWhereItLooked() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    TorchSelectionException e = assertThrows(TorchSelectionException.class,
        () -> LibtorchLocation.resolve(TorchChoice.parse(empty.toString()), Map.of(), NO_HOME, Optional.empty()));
    assertTrue(e.getMessage().contains("no libtorch.so there (looked in " + empty + ", " + empty.resolve("lib")), e.getMessage());
    assertTrue(e.getMessage().contains("site-packages/torch/lib"), e.getMessage());
  }

  @Test
  void aPipWheelFolderGivesCudaSettings() throws Exception {
    Path lib = wheel("2.7.1+cu128", true);
    LibtorchLocation loc = LibtorchLocation.resolve(TorchChoice.parse(lib.getParent().toString()), Map.of(), NO_HOME, Optional.empty());
    assertEquals(lib, loc.dir());
    assertEquals("cu128", loc.flavor());
    assertEquals("2.7.1+cu128", loc.version());
    assertTrue(loc.cuda());
    assertEquals(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cu128"),
        loc.djlSettings());
  }

  @Test
  void anotherTorchReleaseIsRefusedBeforeDjlFailsOnMissingSymbols() throws Exception {
    Path lib = wheel("2.5.1+cu124", true);
    TorchSelectionException e = assertThrows(TorchSelectionException.class,
        () -> LibtorchLocation.resolve(TorchChoice.parse(lib.toString()), Map.of(), NO_HOME, Optional.empty()));
    assertTrue(e.getMessage().contains("is torch 2.5.1+cu124, but DJL's JNI (pytorch-jni) is built for torch 2.7.1"), e.getMessage());
  }

  @Test
  void anotherReleaseIsAcceptedWithAJniBuiltForItInDjlsCache() throws Exception {
    Path lib = wheel("2.11.0+cu130", true);
    Files.writeString(lib.resolveSibling("version.py"), "__version__: str = '2.11.0+cu130'\n");
    Map<String, String> env = Map.of("DJL_CACHE_DIR", tmp.resolve("djl").toString());
    Path jni = tmp.resolve("djl/pytorch/2.11.0-cu130-linux-x86_64/" + LibtorchLocation.djlVersion() + "-libdjl_torch.so");
    assertEquals(jni, LibtorchLocation.builtJni(LibtorchLocation.engineCache(env, NO_HOME), "2.11.0", "cu130"));
    TorchSelectionException e = assertThrows(TorchSelectionException.class,
        () -> LibtorchLocation.resolve(TorchChoice.parse(lib.toString()), env, NO_HOME, Optional.empty()));
    assertTrue(e.getMessage().contains("no JNI built for 2.11.0 is at " + jni), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/build-djl-jni.sh"), e.getMessage());

    Files.createDirectories(jni.getParent());
    Files.createFile(jni);
    LibtorchLocation loc = LibtorchLocation.resolve(TorchChoice.parse(lib.toString()), env, NO_HOME, Optional.empty());
    assertEquals("2.11.0+cu130", loc.version());
    assertEquals(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.11.0", "PYTORCH_FLAVOR", "cu130"),
        loc.djlSettings());
  }

  @Test
  void cudaRefusesACpuBuildOnPytorchLibraryPath() throws Exception {
    Path lib = wheel("2.7.1+cpu", false);
    TorchSelectionException e = assertThrows(TorchSelectionException.class, () -> LibtorchLocation.resolve(
        TorchChoice.CUDA, Map.of("PYTORCH_LIBRARY_PATH", lib.toString()), NO_HOME, Optional.empty()));
    assertTrue(e.getMessage().contains("holds a CPU build of libtorch"), e.getMessage());
  }

  @Test
  void cudaFindsABuildDjlDownloadedIntoItsCache() throws Exception {
    Path cached = Files.createDirectories(tmp.resolve("djl/pytorch/2.7.1-cu128-linux-x86_64"));
    Files.createFile(cached.resolve("libtorch.so"));
    Files.createFile(cached.resolve("libtorch_cuda.so"));
    LibtorchLocation loc = LibtorchLocation.resolve(
        TorchChoice.CUDA, Map.of("DJL_CACHE_DIR", tmp.resolve("djl").toString()), NO_HOME, Optional.empty());
    assertEquals(cached, loc.dir());
    assertEquals("2.7.1+cu128", loc.version());
    assertTrue(loc.source().startsWith("DJL's cache"), loc.source());
  }

  @Test
  void cudaTakesPythonsTorchOnlyWhenItIsACudaBuild() throws Exception {
    Path cpuLib = wheel("2.7.1+cpu", false);
    Map<String, String> env = Map.of("DJL_CACHE_DIR", tmp.resolve("djl").toString());
    LibtorchLocation download = LibtorchLocation.resolve(TorchChoice.CUDA, env, NO_HOME, Optional.of(cpuLib));
    assertTrue(download.download());
    assertNull(download.dir());
    assertFalse(download.djlSettings().containsKey("PYTORCH_LIBRARY_PATH"));
    assertEquals("cu128", download.djlSettings().get("PYTORCH_FLAVOR"));
    assertTrue(download.tried().contains(cpuLib + " is a CPU build"), download.tried().toString());
  }

  @Test
  void cudaOfflineWithNothingFoundSaysWhatWasTriedAndHowToGetIt() {
    TorchSelectionException e = assertThrows(TorchSelectionException.class, () -> LibtorchLocation.resolve(
        TorchChoice.CUDA, Map.of("DJL_OFFLINE", "true", "DJL_CACHE_DIR", tmp.toString()), NO_HOME, Optional.empty()));
    assertTrue(e.getMessage().contains(tmp.resolve("pytorch") + "/<version>-cu*-linux-x86_64"), e.getMessage());
    assertTrue(e.getMessage().contains("DJL_OFFLINE=true forbids downloading"), e.getMessage());
    assertTrue(e.getMessage().contains("pip install torch==2.7.1"), e.getMessage());
  }

  @Test
  void theCpuChoiceNeedsNoSettings() {
    LibtorchLocation loc = LibtorchLocation.resolve(TorchChoice.CPU, Map.of(), NO_HOME, Optional.empty());
    assertEquals(Map.of(), loc.djlSettings());
    assertFalse(loc.cuda());
  }

  @Test
  void aVariableInTheEnvironmentThatWouldOverrideTheChoiceIsAnError() throws Exception {
    Path lib = wheel("2.7.1+cpu", false);
    LibtorchLocation loc = LibtorchLocation.resolve(TorchChoice.parse(lib.toString()), Map.of(), NO_HOME, Optional.empty());
    TorchSelectionException e = assertThrows(TorchSelectionException.class,
        () -> TorchRuntime.select(loc, Map.of("PYTORCH_FLAVOR", "cu124")));
    assertTrue(e.getMessage().contains("PYTORCH_FLAVOR=cu124, which would override TUNINGLAB_TORCH"), e.getMessage());
  }

  // site-packages/torch/{version.py, lib/libtorch.so[, lib/libtorch_cuda.so]}
  private Path wheel(String version, boolean cuda) throws Exception {
    Path torch = Files.createDirectories(tmp.resolve("site-packages/torch"));
    Files.writeString(torch.resolve("version.py"), "__version__ = '" + version + "'\ncuda = '12.8'\n");
    Path lib = Files.createDirectories(torch.resolve("lib"));
    Files.createFile(lib.resolve("libtorch.so"));
    if (cuda) {
      Files.createFile(lib.resolve("libtorch_cuda.so"));
    }
    return lib;
  }
}
