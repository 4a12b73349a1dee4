package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apiguardian.api.API;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.support.hierarchical.ParallelExecutionConfigurationStrategy;

/**
 * How many tests JUnit Jupiter runs at once, read from its configuration parameters the
 * way Jupiter reads them: 1 unless {@code junit.jupiter.execution.parallel.enabled}; else
 * the {@code fixed} parallelism, the {@code dynamic} factor times the available
 * processors (the default strategy, factor 1), or what a {@code custom} strategy class
 * says. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class JUnitParallelism {

    static final String ENABLED = "junit.jupiter.execution.parallel.enabled";
    static final String CONFIG = "junit.jupiter.execution.parallel.config.";

    private JUnitParallelism() {}

    /** The parallelism of a run with these configuration parameters; at least 1. */
    public static int of(Function<String, Optional<String>> parameters) {
        if (!parameters.apply(ENABLED).map(v -> Boolean.parseBoolean(v.trim())).orElse(false)) {
            return 1;
        }
        String strategy = parameters.apply(CONFIG + "strategy").map(String::trim).orElse("dynamic");
        try {
            return Math.max(1, switch (strategy.toLowerCase(java.util.Locale.ROOT)) {
                case "fixed" -> parameters.apply(CONFIG + "fixed.parallelism").map(v -> Integer.parseInt(v.trim()))
                        .orElseGet(JUnitParallelism::processors);
                case "custom" -> custom(parameters);
                default -> parameters.apply(CONFIG + "dynamic.factor").map(v -> new BigDecimal(v.trim()))
                        .orElse(BigDecimal.ONE).multiply(BigDecimal.valueOf(processors())).intValue();
            });
        } catch (RuntimeException | LinkageError unreadable) { // JUnit itself reports a bad setting; size by the machine
            return processors();
        }
    }

    private static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Asks the custom strategy, given the parameters under {@code junit.jupiter.execution.parallel.config.} as Jupiter does. */
    @SuppressWarnings("unchecked") // the converter JUnit passes to get(key, converter)
    private static int custom(Function<String, Optional<String>> parameters) {
        String className = parameters.apply(CONFIG + "custom.class").map(String::trim).orElseThrow();
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(className, true, loader != null ? loader : JUnitParallelism.class.getClassLoader());
            ParallelExecutionConfigurationStrategy strategy =
                    (ParallelExecutionConfigurationStrategy) type.getDeclaredConstructor().newInstance();
            ConfigurationParameters prefixed = (ConfigurationParameters) Proxy.newProxyInstance(
                    ConfigurationParameters.class.getClassLoader(), new Class<?>[] {ConfigurationParameters.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "get" -> args.length == 1 ? parameters.apply(CONFIG + args[0])
                                : parameters.apply(CONFIG + args[0]).map(v -> ((Function<String, ?>) args[1]).apply(v));
                        case "getBoolean" -> parameters.apply(CONFIG + args[0]).map(v -> Boolean.parseBoolean(v.trim()));
                        case "keySet" -> Set.of();
                        case "size" -> 0;
                        case "toString" -> "ConfigurationParameters[" + CONFIG + "*]";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return strategy.createConfiguration(prefixed).getParallelism();
        } catch (ReflectiveOperationException e) {
            return processors();
        }
    }
}
