package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * A typed configuration key such as {@code cleanroom.kafka.engine}, with its parser,
 * default and description. Read it with {@link Configuration#get(Setting)}.
 *
 * <p>Modules declare their settings through {@link dev.cleanroom.core.spi.SettingsProvider},
 * so that a misspelt key is reported rather than ignored.
 *
 * @param <T> the value type
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Setting<T> {

    private final String key;
    private final T defaultValue;
    private final String allowed;
    private final String description;
    private final Function<String, T> parser;
    private final boolean prefix;

    private Setting(String key, T defaultValue, String allowed, String description,
                    Function<String, T> parser, boolean prefix) {
        if (!key.startsWith("cleanroom.")) {
            throw new IllegalArgumentException("setting keys start with 'cleanroom.': " + key);
        }
        this.key = key;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
        this.description = description;
        this.parser = parser;
        this.prefix = prefix;
    }

    /** A free-text setting; {@code defaultValue} may be null (then the setting is optional). */
    public static Setting<String> text(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, "any text", description, value -> value, false);
    }

    /** One of the constants of {@code type}, written in lower case with '-' for '_'. */
    public static <E extends Enum<E>> Setting<E> oneOf(String key, Class<E> type, E defaultValue, String description) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(Setting::spell).collect(Collectors.joining(", "));
        return new Setting<>(key, defaultValue, allowed, description, value -> {
            for (E constant : type.getEnumConstants()) {
                if (spell(constant).equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("not one of the allowed values");
        }, false);
    }

    /** A duration written as {@code 250ms}, {@code 10s}, {@code 2m} or ISO-8601 ({@code PT10S}); must be positive. */
    public static Setting<Duration> duration(String key, Duration defaultValue, String description) {
        return new Setting<>(key, defaultValue, "a positive duration such as 250ms, 10s, 2m or PT10S",
                description, Setting::parseDuration, false);
    }

    /** A whole number in {@code [min, max]}. */
    public static Setting<Integer> number(String key, Integer defaultValue, int min, int max, String description) {
        return new Setting<>(key, defaultValue, "a whole number from " + min + " to " + max, description, value -> {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("out of range");
            }
            return parsed;
        }, false);
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> flag(String key, boolean defaultValue, String description) {
        return new Setting<>(key, defaultValue, "true, false", description, value -> {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("not a boolean");
            }
            return Boolean.parseBoolean(v);
        }, false);
    }

    /**
     * A family of keys passed through as they are, for example {@code cleanroom.kafka.client.}
     * for client security properties. Read it with {@link Configuration#withPrefix(Setting)}.
     */
    public static Setting<String> prefix(String keyPrefix, String description) {
        if (!keyPrefix.endsWith(".")) {
            throw new IllegalArgumentException("a prefix ends with '.': " + keyPrefix);
        }
        return new Setting<>(keyPrefix, null, "any text", description, value -> value, true);
    }

    /** The key, e.g. {@code cleanroom.kafka.engine}. */
    public String key() {
        return key;
    }

    /** The environment variable that sets this key, e.g. {@code CLEANROOM_KAFKA_ENGINE}. */
    public String environmentVariable() {
        return environmentVariableFor(key);
    }

    /** The value used when nothing is configured; empty for optional settings. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Human-readable list of allowed values, used in error messages. */
    public String allowedValues() {
        return allowed;
    }

    public String description() {
        return description;
    }

    /** Whether this setting names a family of keys rather than one key. */
    public boolean isPrefix() {
        return prefix;
    }

    /** Whether {@code candidate} is this key (or, for a prefix setting, one of its family). */
    public boolean matches(String candidate) {
        return prefix ? candidate.startsWith(key) && candidate.length() > key.length() : candidate.equals(key);
    }

    T parse(String raw, String source) {
        try {
            return Objects.requireNonNull(parser.apply(raw));
        } catch (RuntimeException e) {
            throw new ConfigurationException("Bad value for " + key + ": '" + raw + "' (from " + source
                    + "). Allowed: " + allowed + ".");
        }
    }

    /** {@code cleanroom.kafka.bootstrap-servers} becomes {@code CLEANROOM_KAFKA_BOOTSTRAP_SERVERS}. */
    public static String environmentVariableFor(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String spell(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Duration parseDuration(String raw) {
        String value = raw.trim().toLowerCase(Locale.ROOT);
        Duration parsed;
        try {
            if (value.startsWith("pt") || value.startsWith("p")) {
                parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else if (value.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
            } else if (value.endsWith("s")) {
                parsed = Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1).trim()) * 1000));
            } else if (value.endsWith("m")) {
                parsed = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1).trim()) * 60);
            } else {
                throw new IllegalArgumentException("no unit");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(e);
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new IllegalArgumentException("not positive");
        }
        return parsed;
    }

    @Override
    public String toString() {
        return key;
    }
}
