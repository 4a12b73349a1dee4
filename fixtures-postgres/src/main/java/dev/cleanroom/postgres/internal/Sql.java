package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** Quoting helpers. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class Sql {
    private Sql() {}

    /** A quoted identifier. */
    public static String id(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A quoted literal. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
