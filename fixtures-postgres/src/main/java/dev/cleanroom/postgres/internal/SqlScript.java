package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Splits a PostgreSQL script into statements at top-level semicolons, skipping those in
 * comments ({@code --}, nested {@code /* *}{@code /}), string literals ({@code '...'},
 * {@code E'...'}), quoted identifiers and dollar-quoted bodies ({@code $tag$...$tag$}).
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SqlScript {

    /** One statement and the 1-based line on which it starts. */
    public record Statement(String sql, int line) {}

    private SqlScript() {}

    public static List<Statement> split(String script) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') { // line comment: kept out of the statement
                while (i < n && script.charAt(i) != '\n') i++;
                continue;
            }
            if (c == '/' && next == '*') { // block comment, may nest
                int depth = 0;
                do {
                    if (script.startsWith("/*", i)) { depth++; i += 2; }
                    else if (script.startsWith("*/", i)) { depth--; i += 2; }
                    else { if (script.charAt(i) == '\n') line++; i++; }
                } while (i < n && depth > 0);
                current.append(' ');
                continue;
            }
            if (c == ';') {
                add(statements, current, startLine);
                current.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            if (startLine < 0 && !Character.isWhitespace(c)) {
                startLine = line;
            }
            int end;
            if (c == '\'') {
                boolean escapes = i > 0 && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(script.charAt(i - 2)));
                end = quoted(script, i, '\'', escapes);
            } else if (c == '"') {
                end = quoted(script, i, '"', false);
            } else if (c == '$' && (i == 0 || !isIdentifierChar(script.charAt(i - 1)))) {
                end = dollarQuoted(script, i);
            } else {
                end = i + 1;
            }
            for (int k = i; k < end; k++) {
                if (script.charAt(k) == '\n') line++;
            }
            current.append(script, i, end);
            i = end;
        }
        add(statements, current, startLine);
        return statements;
    }

    private static void add(List<Statement> statements, StringBuilder current, int startLine) {
        String sql = current.toString().strip();
        if (!sql.isEmpty()) {
            statements.add(new Statement(sql, startLine));
        }
    }

    /** End index (exclusive) of a quoted run starting at {@code start}; a doubled quote is an escaped quote. */
    private static int quoted(String s, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** End index of a dollar-quoted body starting at {@code start}, or start+1 if {@code $} opens no tag. */
    private static int dollarQuoted(String s, int start) {
        int i = start + 1;
        while (i < s.length() && isIdentifierChar(s.charAt(i)) && s.charAt(i) != '$') {
            if (i == start + 1 && Character.isDigit(s.charAt(i))) {
                return start + 1; // $1 is a parameter, not a tag
            }
            i++;
        }
        if (i >= s.length() || s.charAt(i) != '$') {
            return start + 1;
        }
        String tag = s.substring(start, i + 1);
        int close = s.indexOf(tag, i + 1);
        return close < 0 ? s.length() : close + tag.length();
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
