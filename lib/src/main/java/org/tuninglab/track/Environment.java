package org.tuninglab.track;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;

/**
 * Where a run ran. DJL and PyTorch versions come from the jars' manifests and properties, so capturing
 * needs neither DJL on the classpath nor loading the native engine; absent parts are null.
 *
 * @param java the Java runtime version
 * @param os operating system name and architecture
 * @param host the host name
 * @param cpus processors available to the JVM
 * @param djl the DJL version, or null without DJL
 * @param pytorch the PyTorch version DJL's JNI was built for, or null
 * @param device the compute device, e.g. {@code cpu} or {@code gpu(0)}; trainers set it precisely
 * @param slurmJob the Slurm job (array job and task) id, or null outside Slurm
 * @param tuninglab the Tuning Lab library's version, or null when run from unpackaged classes
 * @param hardware the processor model and memory; null in runs recorded before it was captured
 */
public record Environment(
    String java,
    String os,
    String host,
    int cpus,
    String djl,
    String pytorch,
    String device,
    String slurmJob,
    String tuninglab,
    Hardware hardware) {

  /** Captures the current process's environment, guessing the device from CUDA_VISIBLE_DEVICES. */
  public static Environment capture() {
    String cuda = System.getenv("CUDA_VISIBLE_DEVICES");
    String device = cuda == null || cuda.isBlank() ? "cpu" : "gpu(CUDA_VISIBLE_DEVICES=" + cuda + ")";
    return new Environment(
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        hostName(),
        Runtime.getRuntime().availableProcessors(),
        djlVersion(),
        pytorchVersion(),
        device,
        currentSlurmJob(),
        mavenVersion("org.tuninglab", "tuninglab-lib"),
        Hardware.capture());
  }

  /** A copy naming the device the trainer really uses. */
  public Environment withDevice(String newDevice) {
    return new Environment(java, os, host, cpus, djl, pytorch, newDevice, slurmJob, tuninglab, hardware);
  }

  /** This machine's host name, or {@code localhost} when it cannot be resolved. */
  public static String hostName() {
    return Host.NAME;
  }

  // Resolved once: a name-service lookup can take seconds on a badly configured node.
  private static final class Host {
    static final String NAME = resolveHostName();
  }

  private static String resolveHostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static String currentSlurmJob() {
    String array = System.getenv("SLURM_ARRAY_JOB_ID");
    if (array != null) {
      return array + "_" + System.getenv("SLURM_ARRAY_TASK_ID");
    }
    return System.getenv("SLURM_JOB_ID");
  }

  // DJL's jars carry no Maven metadata; their manifests name the version. Reading it through the
  // package does not initialise the engine.
  private static String djlVersion() {
    try {
      Package p = Class.forName("ai.djl.engine.Engine", false, Environment.class.getClassLoader()).getPackage();
      return p == null ? null : p.getSpecificationVersion();
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  // pytorch-jni's version is "<pytorch>-<djl>", e.g. 2.7.1-0.36.0, in its jnilib/pytorch.properties.
  private static String pytorchVersion() {
    String jni = jniVersion();
    if (jni == null) {
      return System.getenv("PYTORCH_VERSION");
    }
    int dash = jni.indexOf('-');
    return dash < 0 ? jni : jni.substring(0, dash);
  }

  private static String jniVersion() {
    return resourceProperty("/jnilib/pytorch.properties", "jni_version");
  }

  private static String mavenVersion(String group, String artifact) {
    return resourceProperty("/META-INF/maven/" + group + "/" + artifact + "/pom.properties", "version");
  }

  private static String resourceProperty(String resource, String key) {
    try (InputStream in = Environment.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty(key);
    } catch (IOException e) {
      return null;
    }
  }
}
