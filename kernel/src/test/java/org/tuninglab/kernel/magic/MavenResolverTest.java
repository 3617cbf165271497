package org.tuninglab.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MavenResolverTest {

  /** Offline, so the test never touches the network: the kernel's own dependency is in the local repository. */
  private final MavenResolver resolver = new MavenResolver(MavenResolver.defaultLocalRepository(), true);

  @Test
  void resolvesAnArtifactWithItsRuntimeDependencies() {
    List<Path> jars = resolver.resolve("org.dflib.jjava:jjava-jupyter:1.0-a6");
    assertTrue(jars.get(0).getFileName().toString().equals("jjava-jupyter-1.0-a6.jar"), jars.toString());
    assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("gson-")), jars.toString());
  }

  @Test
  void missingArtifactNamesWhereItLooked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve("org.tuninglab.absent:nothing:0.0.1"));
    assertTrue(e.getMessage().startsWith("Cannot resolve org.tuninglab.absent:nothing:0.0.1 from the local repository"),
        e.getMessage());
  }

  @Test
  void badCoordinatesAreExplained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("xchart"));
    assertTrue(e.getMessage().contains("groupId:artifactId:version"));
  }
}
