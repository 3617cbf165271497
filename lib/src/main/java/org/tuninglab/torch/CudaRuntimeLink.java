package org.tuninglab.torch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes CUDA's runtime library findable by DJL's device count. DJL counts GPUs through JNA's
 * {@code Native.load("cudart")}, which finds only a file named {@code libcudart.so} (or
 * {@code libcudart.so.N}) on {@code jna.library.path}; pip wheels keep it in
 * {@code nvidia/cuda_runtime/lib} (CUDA 12) or {@code nvidia/cu13/lib} (CUDA 13), libtorch zips as {@code libcudart-HASH.so.12}. Without it DJL
 * sees no GPU and {@code Engine.defaultDevice()} quietly becomes the CPU.
 */
public final class CudaRuntimeLink {

  private static final Pattern CUDART = Pattern.compile("libcudart(-[0-9a-f]+)?\\.so(\\.\\d+)*");

  private CudaRuntimeLink() {}

  /** The folders searched for {@code libcudart}: next to libtorch, the wheel's nvidia packages, LD_LIBRARY_PATH, CUDA_HOME. */
  static List<Path> searchPath(Path libtorchDir, Map<String, String> env) {
    List<Path> dirs = new ArrayList<>();
    if (libtorchDir != null) {
      dirs.add(libtorchDir);
      // site-packages/torch/lib -> site-packages/nvidia/cuda_runtime/lib (CUDA 12 wheels), nvidia/cu13/lib (CUDA 13 on)
      Path sitePackages = libtorchDir.getParent() == null ? null : libtorchDir.getParent().getParent();
      if (sitePackages != null) {
        Path nvidia = sitePackages.resolve("nvidia");
        dirs.add(nvidia.resolve("cuda_runtime").resolve("lib"));
        dirs.addAll(cudaVersionFolders(nvidia));
      }
    }
    String ld = env.get("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(File.pathSeparator)) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    String cudaHome = env.get("CUDA_HOME");
    if (cudaHome != null && !cudaHome.isBlank()) {
      dirs.add(Path.of(cudaHome, "lib64"));
    }
    return dirs;
  }

  // nvidia/cu13/lib, ...: the newest CUDA first.
  private static List<Path> cudaVersionFolders(Path nvidia) {
    if (!Files.isDirectory(nvidia)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(nvidia)) {
      return children.filter(d -> d.getFileName().toString().matches("cu\\d+"))
          .sorted(Comparator.comparingInt((Path d) -> Integer.parseInt(d.getFileName().toString().substring(2))).reversed())
          .map(d -> d.resolve("lib"))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The first {@code libcudart} in the search path. */
  static Optional<Path> find(List<Path> dirs) {
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> files = Files.list(d)) {
        Optional<Path> hit = files.filter(f -> CUDART.matcher(f.getFileName().toString()).matches()).sorted().findFirst();
        if (hit.isPresent()) {
          return hit;
        }
      } catch (IOException e) {
        // unreadable folder: try the next
      }
    }
    return Optional.empty();
  }

  /**
   * Links {@code linkDir/libcudart.so} to the found library and returns {@code linkDir}, for
   * {@code jna.library.path}; empty when there is no libcudart to link.
   */
  static Optional<Path> link(Path libtorchDir, Map<String, String> env, Path linkDir) throws IOException {
    Optional<Path> cudart = find(searchPath(libtorchDir, env));
    if (cudart.isEmpty()) {
      return Optional.empty();
    }
    Files.createDirectories(linkDir);
    Path link = linkDir.resolve("libcudart.so");
    Path tmp = linkDir.resolve("libcudart.so." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, cudart.get().toAbsolutePath());
    Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return Optional.of(linkDir);
  }
}
