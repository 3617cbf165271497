package org.tuninglab.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libcudart under the names pip wheels and libtorch zips give it, linked as JNA looks for it. */
class CudaRuntimeLinkTest {

  @TempDir Path tmp;

  @Test
  void linksALibtorchZipsHashedCudart() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("libtorch/lib"));
    Path cudart = Files.createFile(lib.resolve("libcudart-9335f6a2.so.12"));
    Optional<Path> dir = CudaRuntimeLink.link(lib, Map.of(), tmp.resolve("links"));
    assertEquals(Optional.of(tmp.resolve("links")), dir);
    assertEquals(cudart, Files.readSymbolicLink(tmp.resolve("links/libcudart.so")));
    // Linking again (a second start) replaces the link.
    CudaRuntimeLink.link(lib, Map.of(), tmp.resolve("links"));
    assertTrue(Files.isSymbolicLink(tmp.resolve("links/libcudart.so")));
  }

  @Test
  void findsAPipWheelsCudaRuntimePackage() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("site-packages/torch/lib"));
    Path runtime = Files.createDirectories(tmp.resolve("site-packages/nvidia/cuda_runtime/lib"));
    Path cudart = Files.createFile(runtime.resolve("libcudart.so.12"));
    assertEquals(Optional.of(cudart), CudaRuntimeLink.find(CudaRuntimeLink.searchPath(lib, Map.of())));
  }

  @Test
  void findsCuda13WheelsConsolidatedPackageNewestFirst() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("site-packages/torch/lib"));
    Files.createFile(Files.createDirectories(tmp.resolve("site-packages/nvidia/cu12/lib")).resolve("libcudart.so.12"));
    Path cudart = Files.createFile(Files.createDirectories(tmp.resolve("site-packages/nvidia/cu13/lib")).resolve("libcudart.so.13"));
    Files.createDirectories(tmp.resolve("site-packages/nvidia/cublas/lib"));
    assertEquals(Optional.of(cudart), CudaRuntimeLink.find(CudaRuntimeLink.searchPath(lib, Map.of())));
  }

  @Test
  void nothingToLinkWithoutCudart() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("lib"));
    Files.createFile(lib.resolve("libcudart_static.a"));
    assertEquals(Optional.empty(), CudaRuntimeLink.link(lib, Map.of("LD_LIBRARY_PATH", tmp.toString()), tmp.resolve("links")));
  }
}
