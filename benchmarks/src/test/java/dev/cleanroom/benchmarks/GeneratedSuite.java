package dev.cleanroom.benchmarks;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Generates the suite's test classes for one way as Java sources, compiles them with the
 * JDK's compiler against this JVM's class path, and loads them: {@code classes} classes of
 * {@code tests} test methods each, {@code dev.cleanroom.benchmarks.generated.*}.
 */
public final class GeneratedSuite {

    static final String PACKAGE = "dev.cleanroom.benchmarks.generated";

    private GeneratedSuite() {}

    /** The generated classes, loaded by a class loader whose parent is this class's loader. */
    public static List<Class<?>> generate(Way way, int classes, int tests, Path dir) {
        try {
            Path sources = Files.createDirectories(dir.resolve("src"));
            Path out = Files.createDirectories(dir.resolve("classes"));
            List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-classpath", classPath(),
                    "-proc:none", "-nowarn", "-implicit:none"));
            for (int i = 1; i <= classes; i++) {
                Path file = sources.resolve(way.className(i) + ".java");
                Files.writeString(file, way.source(PACKAGE, i, tests));
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                throw new IllegalStateException("The suite benchmark compiles its generated classes and needs a JDK, "
                        + "not a JRE: run it with a JDK's java (JAVA_HOME=" + System.getProperty("java.home") + ")");
            }
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            int status = javac.run(null, messages, messages, args.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("compiling the generated suite in " + sources + " failed:\n" + messages);
            }
            ClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, GeneratedSuite.class.getClassLoader());
            List<Class<?>> loaded = new ArrayList<>();
            for (int i = 1; i <= classes; i++) {
                loaded.add(Class.forName(PACKAGE + "." + way.className(i), false, loader));
            }
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test class path: Surefire's when under Surefire (its own is a manifest-only jar), else the JVM's. */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
