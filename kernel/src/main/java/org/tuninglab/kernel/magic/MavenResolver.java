package org.tuninglab.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves {@code groupId:artifactId[:extension[:classifier]]:version} with its runtime
 * dependencies from the local Maven repository, then Maven Central.
 */
public final class MavenResolver {

  static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

  private final RepositorySystem system;
  private final DefaultRepositorySystemSession session;
  private final Path localRepository;
  private final List<RemoteRepository> remotes;

  /** @param offline use only the local repository (tests, air-gapped nodes) */
  public MavenResolver(Path localRepository, boolean offline) {
    this.localRepository = localRepository;
    this.system = new RepositorySystemSupplier().get();
    this.session = MavenRepositorySystemUtils.newSession();
    session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
    session.setOffline(offline);
    this.remotes = List.of(new RemoteRepository.Builder("central", "default", CENTRAL).build());
  }

  /** The local repository Maven itself uses: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
  public static Path defaultLocalRepository() {
    String configured = System.getProperty("maven.repo.local");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** The jars of {@code coordinates} and its runtime dependencies, the artifact first. */
  public List<Path> resolve(String coordinates) {
    DefaultArtifact artifact;
    try {
      artifact = new DefaultArtifact(coordinates.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "%maven expects groupId:artifactId:version (e.g. org.knowm.xchart:xchart:3.8.8), got '" + coordinates + "'");
    }
    CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), remotes);
    DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
    try {
      return system.resolveDependencies(session, request).getArtifactResults().stream()
          .map(ArtifactResult::getArtifact)
          .map(a -> a.getFile().toPath())
          .toList();
    } catch (DependencyResolutionException e) {
      throw new IllegalArgumentException("Cannot resolve " + coordinates + " from the local repository "
          + localRepository + (session.isOffline() ? " (offline)" : " or Maven Central (" + CENTRAL + ")")
          + ": " + whatFailed(coordinates, e), e);
    }
  }

  /** One line: which artifact was not found (the one asked for or a dependency), or the resolver's root message. */
  private static String whatFailed(String coordinates, DependencyResolutionException e) {
    List<String> missing = e.getResult() == null ? List.of() : e.getResult().getArtifactResults().stream()
        .filter(r -> !r.isResolved())
        .map(r -> r.getRequest().getArtifact())
        .map(a -> a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion())
        .toList();
    if (missing.isEmpty() && e.getResult() != null && !e.getResult().getCollectExceptions().isEmpty()) {
      missing = List.of(coordinates);
    }
    if (missing.isEmpty()) {
      String root = rootMessage(e);
      return root.length() > 200 ? root.substring(0, 200) + "..." : root;
    }
    return missing.size() == 1 && missing.get(0).equals(coordinates.trim())
        ? "not found there"
        : "not found there: " + String.join(", ", missing);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
