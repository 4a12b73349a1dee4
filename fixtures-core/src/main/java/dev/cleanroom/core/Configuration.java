package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.SettingsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * One lookup for every Cleanroom setting. Precedence, highest first:
 * <ol>
 *   <li>system property ({@code -Dcleanroom.kafka.engine=embedded}), or a JUnit configuration
 *       parameter of the same name (for example in {@code junit-platform.properties});</li>
 *   <li>environment variable ({@code CLEANROOM_KAFKA_ENGINE=embedded});</li>
 *   <li>{@code cleanroom.properties} on the test class path;</li>
 *   <li>the setting's default.</li>
 * </ol>
 * Building a configuration validates it: a {@code cleanroom.*} key (or {@code CLEANROOM_*}
 * variable) that no module declares, or a value that a declared setting does not allow, is a
 * {@link ConfigurationException} naming the key, the value, its source and what is allowed.
 * The keys checked are those of system properties, environment variables,
 * {@code cleanroom.properties}, {@code junit-platform.properties} and, when a launcher runs the
 * tests with core's listener, the configuration parameters it was given directly (surefire's
 * {@code configurationParameters}); under EngineTestKit, which has no listener, a misspelt
 * parameter passes unnoticed (its value is checked when read). With several {@code cleanroom.properties} on
 * the class path the first is read and all are named in a warning.
 *
 * <p>Immutable and thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Configuration {

    /** The class-path resource read as the lowest-precedence source. */
    public static final String PROPERTIES_FILE = "cleanroom.properties";

    /**
     * JUnit's own file of configuration parameters (the first on the class path, as JUnit
     * reads it); its {@code cleanroom.*} keys are validated like every other source's.
     */
    private static final String JUNIT_PROPERTIES_FILE = "junit-platform.properties";

    /** The sets of several same-named files already warned about, so that each is named once per JVM. */
    private static final Set<List<String>> WARNED = ConcurrentHashMap.newKeySet();

    private final Map<String, String> systemProperties;
    private final Function<String, Optional<String>> junitParameters;
    private final Map<String, String> environment;
    private final Map<String, String> fileProperties;
    private final String fileDescription;
    private final Map<String, String> junitFileProperties; // the cleanroom.* keys of junit-platform.properties
    private final String junitFileDescription;
    private final List<Setting<?>> known;
    private final Set<String> absentModules;

    /**
     * The namespaces of Cleanroom's fixture modules and the artifact that declares them. A
     * key in the namespace of a module that is not on the class path is ignored rather
     * than reported: CI machines export settings for every module to every module's tests.
     */
    static final Map<String, String> MODULE_NAMESPACES = Map.of(
            "kafka", "dev.cleanroom:fixtures-kafka",
            "postgres", "dev.cleanroom:fixtures-postgres");

    private Configuration(Map<String, String> systemProperties, Function<String, Optional<String>> junitParameters,
                          Map<String, String> environment, Map<String, String> fileProperties,
                          String fileDescription, List<Setting<?>> known, Map<String, String> junitFileProperties,
                          String junitFileDescription) {
        this.systemProperties = Map.copyOf(systemProperties);
        this.junitParameters = junitParameters;
        this.junitFileProperties = Map.copyOf(junitFileProperties);
        this.junitFileDescription = junitFileDescription;
        this.environment = Map.copyOf(environment);
        this.fileProperties = Map.copyOf(fileProperties);
        this.fileDescription = fileDescription;
        this.known = List.copyOf(known);
        this.absentModules = MODULE_NAMESPACES.keySet().stream()
                .filter(ns -> known.stream().noneMatch(s -> s.key().startsWith("cleanroom." + ns + ".")))
                .collect(Collectors.toUnmodifiableSet());
        validate();
    }

    /**
     * Reads this JVM's system properties and environment and the first
     * {@value #PROPERTIES_FILE} found by {@code classLoader}; {@code junitParameters} may
     * supply JUnit configuration parameters (pass {@code key -> Optional.empty()} for none).
     */
    public static Configuration load(ClassLoader classLoader, Function<String, Optional<String>> junitParameters) {
        return load(classLoader, junitParameters, Set.of());
    }

    /**
     * As {@link #load(ClassLoader, Function)}; {@code launcherKeys} are the names of the JUnit
     * configuration parameters that the launcher was given (surefire's {@code configurationParameters},
     * a {@code LauncherDiscoveryRequest}), which Jupiter cannot list itself: their {@code cleanroom.*}
     * keys are checked like every other source's.
     */
    @API(status = INTERNAL, since = "0.1")
    public static Configuration load(ClassLoader classLoader, Function<String, Optional<String>> junitParameters,
                                     Set<String> launcherKeys) {
        Map<String, String> system = new TreeMap<>();
        System.getProperties().forEach((k, v) -> system.put(String.valueOf(k), String.valueOf(v)));
        URL file = firstResource(classLoader, PROPERTIES_FILE);
        URL junitFile = firstResource(classLoader, JUNIT_PROPERTIES_FILE);
        Map<String, String> junitFileProperties = new TreeMap<>();
        if (junitFile != null) {
            read(junitFile).forEach((k, v) -> {
                if (k.startsWith("cleanroom.")) {
                    junitFileProperties.put(k, v);
                }
            });
        }
        String junitFileDescription = JUNIT_PROPERTIES_FILE + " (" + junitFile + ")";
        Configuration configuration = new Configuration(system, junitParameters, System.getenv(),
                file == null ? Map.of() : read(file), file == null ? PROPERTIES_FILE : PROPERTIES_FILE + " (" + file + ")",
                knownSettings(classLoader), junitFileProperties, junitFileDescription);
        junitFileProperties.keySet().forEach(k -> configuration.requireKnown(k, "JUnit configuration parameter in "
                + junitFileDescription));
        launcherKeys.stream().filter(k -> k.startsWith("cleanroom.") && !junitFileProperties.containsKey(k))
                .forEach(k -> configuration.requireKnown(k, "JUnit configuration parameter given to the launcher"
                        + " (surefire's configurationParameters, Gradle's systemProperty, a LauncherDiscoveryRequest)"));
        return configuration;
    }

    /** A configuration from explicit sources, with the settings that the class path declares. */
    public static Configuration of(Map<String, String> systemProperties, Map<String, String> environment,
                                   Map<String, String> fileProperties) {
        return new Configuration(systemProperties, key -> Optional.empty(), environment, fileProperties,
                PROPERTIES_FILE, knownSettings(Configuration.class.getClassLoader()), Map.of(), JUNIT_PROPERTIES_FILE);
    }

    /** The value of {@code setting}, or its default; fails if it has neither. */
    public <T> T get(Setting<T> setting) {
        return find(setting).or(setting::defaultValue).orElseThrow(() -> new ConfigurationException(
                setting.key() + " is not set and has no default. " + howToSet(setting.key(), "<value>")));
    }

    /** The configured value of {@code setting}, ignoring its default. */
    public <T> Optional<T> find(Setting<T> setting) {
        return lookup(setting.key()).map(found -> setting.parse(found.value(), found.source()));
    }

    /**
     * The value of {@code setting}, which is needed because of {@code because}. A missing
     * value is an error that says why it is needed and how to set it.
     */
    public <T> T require(Setting<T> setting, String because) {
        return find(setting).or(setting::defaultValue).orElseThrow(() -> new ConfigurationException(
                setting.key() + " is required " + because + ". " + howToSet(setting.key(), "<value>")));
    }

    /** Where the value of {@code setting} comes from, e.g. "system property cleanroom.kafka.engine". */
    public String sourceOf(Setting<?> setting) {
        return lookup(setting.key()).map(Found::source).orElse("default");
    }

    /**
     * Every key of a {@link Setting#prefix prefix setting}, without the prefix, merged by
     * precedence. Environment variables of the family are mapped back with '_' as '.'.
     */
    public Map<String, String> withPrefix(Setting<String> prefixSetting) {
        String prefix = prefixSetting.key();
        Map<String, String> merged = new LinkedHashMap<>();
        fileProperties.forEach((k, v) -> {
            if (k.startsWith(prefix)) merged.put(k.substring(prefix.length()), v);
        });
        String envPrefix = Setting.environmentVariableFor(prefix);
        environment.forEach((k, v) -> {
            if (k.startsWith(envPrefix)) {
                merged.put(k.substring(envPrefix.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
            }
        });
        systemProperties.forEach((k, v) -> {
            if (k.startsWith(prefix)) merged.put(k.substring(prefix.length()), v);
        });
        return Collections.unmodifiableMap(merged);
    }

    /** The settings that the modules on the class path declare. */
    public List<Setting<?>> knownSettings() {
        return known;
    }

    /** "set -Dkey=value, KEY=value in the environment, or key=value in cleanroom.properties". */
    public static String howToSet(String key, String value) {
        return "Set it with -D" + key + "=" + value + ", the environment variable "
                + Setting.environmentVariableFor(key) + "=" + value + ", or " + key + "=" + value
                + " in " + PROPERTIES_FILE + " on the test class path.";
    }

    private record Found(String value, String source) {}

    private Optional<Found> lookup(String key) {
        String value = systemProperties.get(key);
        if (value != null) {
            return Optional.of(new Found(value, "system property " + key));
        }
        Optional<String> parameter = junitParameters.apply(key);
        if (parameter.isPresent()) { // JUnit merges its file into the parameters: name the file when it is the origin
            return Optional.of(new Found(parameter.get(), "JUnit configuration parameter " + key
                    + (parameter.get().trim().equals(junitFileProperties.get(key)) ? " in " + junitFileDescription : "")));
        }
        String variable = Setting.environmentVariableFor(key);
        value = environment.get(variable);
        if (value != null) {
            return Optional.of(new Found(value, "environment variable " + variable));
        }
        value = fileProperties.get(key);
        if (value != null) {
            return Optional.of(new Found(value, fileDescription));
        }
        return Optional.empty();
    }

    private void validate() {
        systemProperties.keySet().stream().filter(k -> k.startsWith("cleanroom."))
                .forEach(k -> requireKnown(k, "system property " + k));
        fileProperties.keySet().forEach(k -> requireKnown(k, fileDescription));
        environment.keySet().stream().filter(k -> k.startsWith("CLEANROOM_"))
                .forEach(this::requireKnownVariable);
        for (Setting<?> setting : known) {
            if (!setting.isPrefix()) {
                find(setting); // parses, so a bad value fails now, not when first used
            }
        }
    }

    private boolean inAbsentModule(String key) {
        String[] parts = key.toLowerCase(java.util.Locale.ROOT).split("[._]", 3);
        return parts.length == 3 && absentModules.contains(parts[1]);
    }

    private void requireKnown(String key, String source) {
        if (!inAbsentModule(key) && known.stream().noneMatch(s -> s.matches(key))) {
            throw unknown(key, source, known.stream().map(Setting::key).collect(Collectors.toList()));
        }
    }

    private void requireKnownVariable(String variable) {
        boolean matches = known.stream().anyMatch(s -> s.isPrefix()
                ? variable.startsWith(s.environmentVariable()) && variable.length() > s.environmentVariable().length()
                : variable.equals(s.environmentVariable()));
        if (!matches && !inAbsentModule(variable)) {
            throw unknown(variable, "environment variable " + variable,
                    known.stream().map(Setting::environmentVariable).collect(Collectors.toList()));
        }
    }

    private static ConfigurationException unknown(String key, String source, List<String> candidates) {
        String closest = candidates.stream().min(Comparator.comparingInt(c -> editDistance(c, key))).orElse(null);
        String hint = closest != null && editDistance(closest, key) <= Math.max(3, key.length() / 4)
                ? " Did you mean " + closest + "?" : "";
        return new ConfigurationException("Unknown setting " + key + " (from " + source + ")." + hint
                + " Known settings: " + String.join(", ", candidates)
                + ". If the key belongs to a Cleanroom module, add that module to the test class path.");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The first {@code name} on the class path; several cleanroom.properties are named in a warning (once per JVM). */
    private static URL firstResource(ClassLoader classLoader, String name) {
        List<URL> found;
        try {
            found = Collections.list(classLoader.getResources(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + name + " on the class path", e);
        }
        // JUnit names several junit-platform.properties itself
        if (found.size() > 1 && name.equals(PROPERTIES_FILE) && WARNED.add(found.stream().map(URL::toString).toList())) {
            System.err.println(severalFiles(name, found));
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The warning about several files named {@code name}: which one is read and which are not. */
    static String severalFiles(String name, List<URL> found) {
        StringBuilder text = new StringBuilder("[cleanroom] WARNING: ").append(found.size()).append(" files named ")
                .append(name).append(" on the class path; only the first is read:\n  read:    ").append(found.get(0));
        for (URL ignored : found.subList(1, found.size())) {
            text.append("\n  ignored: ").append(ignored);
        }
        return text.append("\nKeep one (e.g. in src/test/resources of the module under test) so that the settings"
                + " in effect do not depend on the class path's order.").toString();
    }

    private static Map<String, String> read(URL file) {
        Properties properties = new Properties();
        try (InputStream in = file.openStream()) {
            properties.load(in);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.forEach((k, v) -> values.put(String.valueOf(k).trim(), String.valueOf(v).trim()));
        return values;
    }

    private static List<Setting<?>> knownSettings(ClassLoader classLoader) {
        List<Setting<?>> settings = new ArrayList<>(CoreSettings.ALL);
        for (SettingsProvider provider : ServiceLoader.load(SettingsProvider.class, classLoader)) {
            settings.addAll(provider.settings());
        }
        return settings;
    }
}
