package org.tuninglab.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.tuninglab.kernel.magic.ClasspathMagic;
import org.tuninglab.kernel.magic.LoadMagic;
import org.tuninglab.kernel.magic.MavenMagic;
import org.tuninglab.kernel.magic.TimeMagic;

/** The Tuning Lab Java kernel: JShell cells evaluated in this JVM, with JJava's helpers and magics. */
public final class TuningLabKernel extends BaseKernel {

  public static final String VERSION = "0.1.0";

  private final CompletableFuture<JShellSession> session = new CompletableFuture<>();
  private final KernelSettings settings;
  private final KernelIO kernelIo;
  private volatile ClassLoader userLoader = ClassLoader.getSystemClassLoader();

  private TuningLabKernel(KernelSettings settings, MagicsRegistry magics, KernelIO io) {
    super("Tuning Lab Java", VERSION, languageInfo(),
        List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/")),
        null, io, new CommManager(), new ValueRenderer(),
        new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), magics,
        settings.loadExtensions(),
        new StringStyler.Builder()
            .addPrimaryStyle(TextColor.BOLD_RESET_FG)
            .addSecondaryStyle(TextColor.BOLD_RED_FG)
            .addHighlightStyle(TextColor.BOLD_RESET_FG)
            .build());
    this.settings = settings;
    this.kernelIo = io;
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
    return new TuningLabKernel(settings, magics, new KernelIO());
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
    String unguarded = ExitGuard.install();
    if (unguarded != null) {
      System.err.println("tuninglab kernel: " + unguarded);
    }
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

  /**
   * jjava's execute handler, except that an error is reported under its own class name: an
   * {@code OutOfMemoryError} from a cell is named as such, not as the {@link UserError} that
   * carried it through the kernel's exception-only path.
   */
  @Override
  protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
    commManager.setMessageContext(message);
    ExecuteRequest request = message.getContent();
    int count = executionCount.getAndIncrement();
    env.setBusyDeferIdle();
    env.publish(new PublishExecuteInput(request.getCode(), count));
    replaceOutputStreams(env);
    kernelIo.attach(env, request.isStdinEnabled());
    env.defer(() -> kernelIo.detach(env));
    try {
      DisplayData result = eval(request.getCode());
      if (result != null) {
        env.publish(new PublishExecuteResult(count, result));
      }
      env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
    } catch (Exception e) {
      Throwable shown = reported(e);
      String name = shown.getClass().getSimpleName();
      String text = Objects.toString(shown.getLocalizedMessage(), "");
      List<String> traceback = formatError(e);
      ErrorReply reply = new ErrorReply(name, text, traceback);
      reply.setExecutionCount(count);
      env.publish(new PublishError(name, text, traceback));
      env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
    }
  }

  /**
   * The throwable a cell's failure is reported as: the {@link Error} a {@link UserError}
   * carries, a {@link MagicException} or the user's own exception rather than the
   * RuntimeException jjava wraps around whatever a magic throws.
   */
  private static Throwable reported(Throwable error) {
    Throwable shown = error;
    while (shown.getCause() != null && (shown instanceof UserError || isMagicWrapper(shown))) {
      shown = shown.getCause();
    }
    return shown;
  }

  private static boolean isMagicWrapper(Throwable t) {
    return t.getClass() == RuntimeException.class && t.getMessage() != null
        && t.getMessage().startsWith("Exception occurred while running ");
  }

  @Override
  public List<String> formatError(Throwable error) {
    Throwable shown = reported(error);
    if (shown instanceof CompilationException compilation) {
      return compilation.report().stream().map(errorStyler::secondary).toList();
    }
    if (shown instanceof CellInterruptedException || shown instanceof ExitRefusedException || shown instanceof MagicException) {
      return List.of(errorStyler.secondary(shown.getMessage()));
    }
    List<String> lines = new ArrayList<>(UserStackTrace.lines(shown).stream().map(errorStyler::secondary).toList());
    if (shown instanceof OutOfMemoryError) {
      lines.add("");
      lines.addAll(heapHint(Runtime.getRuntime().maxMemory()));
    }
    return lines;
  }

  /** What to do about an {@code OutOfMemoryError}: the heap this kernel has and how to give it more. */
  static List<String> heapHint(long maxHeapBytes) {
    return List.of(
        "The kernel's Java heap is limited to " + (maxHeapBytes >> 20) + " MiB (the JVM option -Xmx).",
        "To raise it, add e.g. \"-Xmx8g\" to \"argv\" in the kernel's kernel.json, before \"-cp\"",
        "(`jupyter kernelspec list` shows its folder), or set \"JAVA_TOOL_OPTIONS\": \"-Xmx8g\" in its \"env\";",
        "then restart the kernel. Variables of this notebook that hold large arrays or tensors also count.");
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
