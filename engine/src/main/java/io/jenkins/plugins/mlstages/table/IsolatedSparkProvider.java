package io.jenkins.plugins.mlstages.table;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Opens {@code sc://} locations with the Spark Connect module (ml-stages-spark) from a folder of jars, in a class
 * loader of its own: the client's 81 MB of dependencies (Scala, Jackson 2.20, log4j 2…) are never on the CLI's or
 * the agent's class path, and only runs that use Spark load them. The folder is the system property
 * {@value #LIB_PROPERTY} (bin/mlstages sets it) or the environment variable {@value #LIB_ENV}.
 *
 * <p>Classes are looked up in the folder first, except the JDK's and the engine's own
 * ({@code io.jenkins.plugins.mlstages.*}), so that the module implements this engine's {@link SqlEngineProvider}.
 * When the module is on the class path already (its own tests) this provider steps aside.
 */
public final class IsolatedSparkProvider implements SqlEngineProvider {
    public static final String LIB_PROPERTY = "mlstages.spark.lib";
    public static final String LIB_ENV = "MLSTAGES_SPARK_LIB";
    /** The JVM options the Spark Connect client needs on Java 17 (Arrow's memory layer, java.sql dates). */
    public static final List<String> JVM_OPTIONS = List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");
    static final String PROVIDER = "io.jenkins.plugins.mlstages.spark.SparkConnectEngineProvider";

    private static ClassLoader loader;
    private static Path loaded;

    @Override
    public boolean accepts(String location) {
        return location != null && location.regionMatches(true, 0, "sc://", 0, 5) && !onClassPath() && library() != null;
    }

    @Override
    public SqlEngine open(String location, Map<String, String> secrets) throws TableSourceException {
        Path lib = library();
        ClassLoader classes = loader(lib);
        if (!Object.class.getModule().isOpen("java.nio", classes.getUnnamedModule())) {
            throw new TableSourceException("the Spark Connect client needs the JVM option " + String.join(" ", JVM_OPTIONS)
                    + " (bin/mlstages passes it; elsewhere add it to MLSTAGES_JAVA_OPTS or the agent's JVM options, docs/tables.md)",
                    true);
        }
        SqlEngineProvider provider;
        try {
            provider = (SqlEngineProvider) Class.forName(PROVIDER, true, classes).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new TableSourceException("the Spark Connect module in " + lib + " cannot be loaded: " + e, false, e);
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(classes);
        try {
            return provider.open(location, secrets);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The folder of the module's jars, or null when none is configured. */
    static Path library() {
        String dir = System.getProperty(LIB_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(LIB_ENV);
        }
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    private static boolean onClassPath() {
        try {
            Class.forName(PROVIDER, false, IsolatedSparkProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** One loader per JVM: the client's classes are loaded once however many engines are opened. */
    private static synchronized ClassLoader loader(Path lib) throws TableSourceException {
        if (loader != null && lib.equals(loaded)) {
            return loader;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(lib)) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()::iterator) {
                jars.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            throw new TableSourceException("the Spark Connect module folder " + lib + " cannot be read (" + LIB_PROPERTY
                    + " / $" + LIB_ENV + "): " + e.getMessage(), false, e);
        }
        if (jars.isEmpty()) {
            throw new TableSourceException("the Spark Connect module folder " + lib + " holds no jars (" + LIB_PROPERTY + " / $"
                    + LIB_ENV + ")", false);
        }
        loader = new ChildFirst(jars.toArray(URL[]::new), IsolatedSparkProvider.class.getClassLoader());
        loaded = lib;
        return loader;
    }

    /** Looks in its own jars before its parent, except for the JDK's classes and the engine's. */
    static final class ChildFirst extends URLClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        ChildFirst(URL[] urls, ClassLoader parent) {
            super("mlstages-spark", urls, parent);
        }

        static boolean parentFirst(String name) {
            return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")
                    || (name.startsWith("io.jenkins.plugins.mlstages.") && !name.startsWith("io.jenkins.plugins.mlstages.spark."));
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (parentFirst(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            // Only the module's own: the CLI's META-INF/services and logging files are not the client's.
            return findResources(name);
        }
    }
}
