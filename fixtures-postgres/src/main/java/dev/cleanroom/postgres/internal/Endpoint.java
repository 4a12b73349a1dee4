package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.ConfigurationException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Where the server answers and who administers it. Internal: do not use.
 *
 * @param hosts host:port list of the JDBC URL
 * @param database the database the run works in
 * @param params extra URL parameters without '?' (may be empty)
 * @param user an administrative user (superuser, or CREATEROLE and CREATEDB)
 * @param password its password
 */
@API(status = INTERNAL, since = "0.1")
public record Endpoint(String hosts, String database, String params, String user, String password) {

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*)(?:\\?(.*))?");

    /** Parses {@code jdbc:postgresql://host:port/db?params}; {@code key} names the setting in errors. */
    public static Endpoint parse(String url, String user, String password, String key) {
        Matcher m = URL.matcher(url.trim());
        if (!m.matches()) {
            throw new ConfigurationException("Bad value for " + key + ": '" + url
                    + "'. Expected a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/postgres.");
        }
        String db = m.group(2).isEmpty() ? "postgres" : m.group(2);
        return new Endpoint(m.group(1), db, m.group(3) == null ? "" : m.group(3), user, password);
    }

    /** A URL for {@code db}, selecting {@code schema} when it is not null. */
    public String jdbcUrl(String db, String schema) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(db);
        String sep = "?";
        if (!params.isEmpty()) {
            url.append(sep).append(params);
            sep = "&";
        }
        if (schema != null) {
            url.append(sep).append("currentSchema=").append(URLEncoder.encode(schema, StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    /** The admin URL of the run's database. */
    public String jdbcUrl() {
        return jdbcUrl(database, null);
    }
}
