package org.tuninglab.kernel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.tuninglab.kernel.magic.ClasspathMagic;
import org.tuninglab.kernel.magic.LoadMagic;
import org.tuninglab.kernel.magic.MavenMagic;
import org.tuninglab.kernel.magic.TimeMagic;

/** The Tuning Lab Java kernel: JShell cells evaluated in this JVM, with JJava's helpers and magics. */
public final class TuningLabKernel extends BaseKernel {

  public static final String VERSION = "0.1.0";

  private final CompletableFuture<JShellSession> session = new CompletableFuture<>();
  private final KernelSettings settings;
  private volatile ClassLoader userLoader = ClassLoader.getSystemClassLoader();

  private TuningLabKernel(KernelSettings settings, MagicsRegistry magics) {
    super("Tuning Lab Java", VERSION, languageInfo(),
        List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/")),
        null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(),
        new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), magics,
        settings.loadExtensions(),
        new StringStyler.Builder()
            .addPrimaryStyle(TextColor.BOLD_RESET_FG)
            .addSecondaryStyle(TextColor.BOLD_RED_FG)
            .addHighlightStyle(TextColor.BOLD_RESET_FG)
            .build());
    this.settings = settings;
  }

  /** A kernel with the standard magics, configured from {@code settings}; call {@link #onStartup()} next. */
  public static TuningLabKernel create(KernelSettings settings) {
    MagicsRegistry magics = new MagicsRegistry();
    magics.registerLineMagic("classpath", new ClasspathMagic());
    magics.registerLineMagic("maven", new MavenMagic());
    magics.registerLineMagic("load", new LoadMagic());
    TimeMagic time = new TimeMagic();
    magics.registerLineMagic("time", time);
    magics.registerCellMagic("time", time);
    return new TuningLabKernel(settings, magics);
  }

  private static LanguageInfo languageInfo() {
    return new LanguageInfo.Builder("java")
        .version(Runtime.version().toString())
        .mimetype("text/x-java-source")
        .fileExtension(".jshell")
        .pygments("java")
        .codemirror("text/x-java")
        .build();
  }

  /**
   * Starts JShell, adds the classpath from {@code JJAVA_CLASSPATH}, installs extensions and runs
   * the startup script, on a thread of its own: the kernel answers Jupyter at once, and the
   * first request that needs JShell waits for it. A failure is reported by every such request.
   */
  @Override
  public void onStartup() {
    Thread init = new Thread(() -> {
      try {
        session.complete(startSession());
      } catch (Throwable e) {
        session.completeExceptionally(e);
      }
    }, "kernel-init");
    init.setDaemon(true);
    init.start();
  }

  private JShellSession startSession() throws Exception {
    JShellSession started = new JShellSession();
    started.importDefaults();
    if (!settings.classpath().isBlank()) {
      for (Path entry : PathsHandler.splitAndResolveGlobs(settings.classpath())) {
        started.addToClasspath(entry.toAbsolutePath().toString());
      }
    }
    userLoader = started.userLoader();
    super.onStartup();
    if (!settings.startupScript().isBlank()) {
      try {
        started.eval(magicParser.resolveMagics(settings.startupScript()));
      } catch (Exception e) {
        throw new IllegalStateException("JJAVA_STARTUP_SCRIPT failed: " + e, e);
      }
    }
    return started;
  }

  /** The JShell session, once started; the reason when it could not start. */
  private JShellSession session() {
    try {
      return session.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new IllegalStateException("The kernel could not start: " + e.getCause(), e.getCause());
    }
  }

  @Override
  protected ClassLoader getClassLoader() {
    return userLoader;
  }

  /**
   * Installs extensions one by one, so that one broken extension (a missing class, a failing
   * {@code install}) is reported on the kernel's stderr and does not stop the others.
   */
  @Override
  protected void installExtensions(ClassLoader loader) {
    Iterator<ServiceLoader.Provider<Extension>> providers = ServiceLoader.load(Extension.class, loader).stream().iterator();
    while (true) {
      ServiceLoader.Provider<Extension> provider;
      try {
        if (!providers.hasNext()) {
          return;
        }
        provider = providers.next();
      } catch (ServiceConfigurationError e) {
        System.err.println("Extension not loaded: " + e.getMessage());
        continue;
      }
      try {
        installExtension(provider.get());
      } catch (RuntimeException | LinkageError e) {
        System.err.println("Extension " + provider.type().getName() + " not installed: " + e);
      }
    }
  }

  /** Makes jars and class folders visible to later cells, and installs the extensions they bring. */
  public void addToClasspath(Collection<Path> entries) {
    for (Path entry : entries) {
      session().addToClasspath(entry.toAbsolutePath().toString());
    }
    if (extensionsEnabled && !entries.isEmpty()) {
      installExtensions(getClassLoader());
    }
  }

  /**
   * Evaluates a cell. Checked exceptions (the user's own, a {@link CompilationException}) pass
   * through undeclared: jjava names the error after the thrown class, so wrapping them would
   * hide the user's exception type.
   */
  @Override
  public Object evalRaw(String code) {
    try {
      return session().eval(magicParser.resolveMagics(code));
    } catch (Exception e) {
      throw UncheckedThrow.<RuntimeException>rethrow(e);
    }
  }

  @Override
  public List<String> formatError(Throwable error) {
    Throwable shown = error instanceof UserError ? error.getCause() : error;
    if (shown instanceof CompilationException compilation) {
      return compilation.report().stream().map(errorStyler::secondary).toList();
    }
    if (shown instanceof CellInterruptedException) {
      return List.of(errorStyler.secondary(shown.getMessage()));
    }
    return UserStackTrace.lines(shown).stream().map(errorStyler::secondary).toList();
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    String doc = session().documentation(code, clamp(code, at), extraDetail);
    return doc.isBlank() ? null : new DisplayData(doc);
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    return session().complete(code, clamp(code, at));
  }

  @Override
  public String isComplete(String code) {
    return session().isComplete(magicParser.resolveMagics(code));
  }

  @Override
  public void interrupt() {
    JShellSession started = session.getNow(null);
    if (started != null) {
      started.interrupt();
    }
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    JShellSession started = session.getNow(null);
    if (started != null) {
      started.interrupt();
      started.close();
    }
    super.onShutdown(isRestarting);
  }

  private static int clamp(String code, int at) {
    return Math.max(0, Math.min(at, code.length()));
  }
}
