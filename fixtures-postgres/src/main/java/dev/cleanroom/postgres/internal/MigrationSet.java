package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The versioned SQL scripts of one class-path location, in version order, and the
 * built-in runner that applies them. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class MigrationSet {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");

    /** One script: its file name, class-path path and text. */
    public record Script(String fileName, String path, List<BigInteger> version, String text) {}

    private final String location;
    private final List<Script> scripts;

    private MigrationSet(String location, List<Script> scripts) {
        this.location = location;
        this.scripts = List.copyOf(scripts);
    }

    public String location() {
        return location;
    }

    public List<Script> scripts() {
        return scripts;
    }

    public boolean isEmpty() {
        return scripts.isEmpty();
    }

    /** Reads every {@code V<version>__<description>.sql} under {@code location} (recursively). */
    public static MigrationSet load(String location, ClassLoader classLoader) {
        String loc = location.replaceFirst("^classpath:", "").replaceAll("^/+|/+$", "");
        if (loc.isEmpty()) {
            return new MigrationSet("", List.of());
        }
        List<Script> found = new ArrayList<>();
        List<String> misnamed = new ArrayList<>();
        boolean exists = false;
        try {
            Enumeration<URL> roots = classLoader.getResources(loc);
            while (roots.hasMoreElements()) {
                exists = true;
                collect(roots.nextElement(), loc, found, misnamed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list migration scripts in class-path location " + loc, e);
        }
        if (!exists) {
            if (loc.equals(IsolatedPostgres.DEFAULT_MIGRATIONS)) {
                return new MigrationSet(loc, List.of());
            }
            throw new ConfigurationException("@IsolatedPostgres(migrations = \"" + location + "\"): there is no class-path "
                    + "location " + loc + ". Put the scripts (V1__init.sql, ...) under src/test/resources/" + loc
                    + " (or src/main/resources), or set migrations = \"\" for an empty schema.");
        }
        if (!misnamed.isEmpty()) { // every one at once, so that one rename round fixes them all
            throw new ConfigurationException("Migration location " + loc + " has " + misnamed.size() + " script"
                    + (misnamed.size() == 1 ? "" : "s") + " not named V<version>__<description>.sql (for example V1__init.sql"
                    + " or V2_1__add_orders.sql): " + String.join(", ", misnamed)
                    + ". Rename them, or move them out of the migration location.");
        }
        found.sort(Comparator.comparing(Script::version, MigrationSet::compareVersions));
        for (int i = 1; i < found.size(); i++) {
            if (compareVersions(found.get(i - 1).version(), found.get(i).version()) == 0) {
                throw new ConfigurationException("Migration location " + loc + " has two scripts with the same version: "
                        + found.get(i - 1).path() + " and " + found.get(i).path() + ". Give each script its own version.");
            }
        }
        return new MigrationSet(loc, found);
    }

    private static void collect(URL root, String loc, List<Script> found, List<String> misnamed) throws IOException {
        if (root.getProtocol().equals("file")) {
            Path dir;
            try {
                dir = Path.of(root.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = loc + "/" + dir.relativize(file).toString().replace('\\', '/');
                    add(file.getFileName().toString(), relative, Files.readString(file, StandardCharsets.UTF_8), found, misnamed);
                }
            }
        } else if (root.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    if (!entry.isDirectory() && entry.getName().startsWith(loc + "/")) {
                        String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                        try (InputStream in = jar.getInputStream(entry)) {
                            add(name, entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8), found,
                                    misnamed);
                        }
                    }
                }
            }
        }
    }

    private static void add(String fileName, String path, String text, List<Script> found, List<String> misnamed) {
        if (!fileName.endsWith(".sql")) {
            return;
        }
        Matcher m = VERSIONED.matcher(fileName);
        if (!m.matches()) {
            misnamed.add(path);
            return;
        }
        List<BigInteger> version = Stream.of(m.group(1).split("[._]")).map(BigInteger::new).toList();
        found.add(new Script(fileName, path, version, text));
    }

    private static int compareVersions(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) return c;
        }
        return 0;
    }

    /**
     * Applies every script on {@code connection} (already acting as the owning role with
     * the search path set) in one transaction. Each script is sent as one batch; when a
     * script fails, the transaction is rolled back and the script is replayed statement by
     * statement to name the failing statement and its line. The caller drops the schema.
     */
    public void applyBuiltin(Connection connection, String target, String setup) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(setup);
            for (int i = 0; i < scripts.size(); i++) {
                Script script = scripts.get(i);
                try {
                    statement.execute(script.text());
                } catch (SQLException e) {
                    connection.rollback();
                    throw locate(connection, i, target, setup, e);
                }
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private MigrationException locate(Connection connection, int failing, String target, String setup, SQLException batchError)
            throws SQLException {
        Script script = scripts.get(failing);
        try (Statement statement = connection.createStatement()) {
            statement.execute(setup);
            for (int i = 0; i < failing; i++) {
                statement.execute(scripts.get(i).text());
            }
            for (SqlScript.Statement sql : SqlScript.split(script.text())) {
                try {
                    statement.execute(sql.sql());
                } catch (SQLException e) {
                    return failure(script, sql.line(), sql.sql(), target, e);
                }
            }
        } catch (SQLException e) {
            batchError.addSuppressed(e); // the replay itself failed: report the batch error, with this attached
        } finally {
            connection.rollback();
        }
        return failure(script, -1, null, target, batchError);
    }

    private MigrationException failure(Script script, int line, String sql, String target, SQLException e) {
        String where = line > 0 ? ", line " + line + ", statement:\n    " + sql.replace("\n", "\n    ") + "\n" : ": ";
        return new MigrationException("Migration " + script.fileName() + " failed (class-path " + script.path()
                + where + "Server said: " + e.getMessage() + "\nApplied to " + target
                + ", which was dropped again; fix the script and rerun.", e);
    }
}
