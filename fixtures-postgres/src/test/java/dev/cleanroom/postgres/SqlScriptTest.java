package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.postgres.internal.SqlScript;
import dev.cleanroom.postgres.internal.SqlScript.Statement;
import org.junit.jupiter.api.Test;

/** The built-in runner's splitter: semicolons in comments, strings, identifiers and dollar quotes do not split. */
class SqlScriptTest {

    @Test
    void splitsAtTopLevelSemicolonsAndKeepsLines() {
        String script = """
                -- header; not a statement
                CREATE TABLE a (x TEXT DEFAULT 'a;b', "odd;name" INT);
                /* block; /* nested; */ still comment; */
                INSERT INTO a VALUES (E'it\\'s; fine', 1);

                CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $fn$
                BEGIN
                    RETURN 1; -- inside the body
                END;
                $fn$;
                SELECT $1;
                """;

        assertThat(SqlScript.split(script)).extracting(Statement::line).containsExactly(2, 4, 6, 11);
        assertThat(SqlScript.split(script)).extracting(Statement::sql).containsExactly(
                "CREATE TABLE a (x TEXT DEFAULT 'a;b', \"odd;name\" INT)",
                "INSERT INTO a VALUES (E'it\\'s; fine', 1)",
                "CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $fn$\nBEGIN\n    RETURN 1; -- inside the body\nEND;\n$fn$",
                "SELECT $1");
    }

    @Test
    void aScriptOfCommentsHasNoStatements() {
        assertThat(SqlScript.split("-- nothing\n/* here */\n")).isEmpty();
    }
}
