package dev.cleanroom.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.support.hierarchical.ParallelExecutionConfiguration;
import org.junit.platform.engine.support.hierarchical.ParallelExecutionConfigurationStrategy;

/** The parallelism read from JUnit's configuration parameters, as Jupiter reads them. */
class JUnitParallelismTest {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private static int of(String... keyValues) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return JUnitParallelism.of(key -> Optional.ofNullable(map.get(key)));
    }

    @Test
    void oneWithoutParallelExecution() {
        assertThat(of()).isEqualTo(1);
        assertThat(of("junit.jupiter.execution.parallel.enabled", "false",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "8")).isEqualTo(1);
    }

    @Test
    void fixedDynamicAndTheDefault() {
        assertThat(of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "6")).isEqualTo(6);
        assertThat(of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "dynamic",
                "junit.jupiter.execution.parallel.config.dynamic.factor", "2.5")).isEqualTo((int) (2.5 * CPUS));
        assertThat(of("junit.jupiter.execution.parallel.enabled", "true")).as("dynamic, factor 1").isEqualTo(CPUS);
    }

    @Test
    void aCustomStrategyIsAsked() {
        assertThat(of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "custom",
                "junit.jupiter.execution.parallel.config.custom.class", Custom.class.getName(),
                "junit.jupiter.execution.parallel.config.custom.threads", "5")).isEqualTo(5);
    }

    /** Reads its parallelism from {@code custom.threads}, under the prefix Jupiter strips. */
    public static final class Custom implements ParallelExecutionConfigurationStrategy {
        @Override
        public ParallelExecutionConfiguration createConfiguration(ConfigurationParameters parameters) {
            int threads = parameters.get("custom.threads", Integer::parseInt).orElseThrow();
            return new ParallelExecutionConfiguration() {
                public int getParallelism() {
                    return threads;
                }

                public int getMinimumRunnable() {
                    return threads;
                }

                public int getMaxPoolSize() {
                    return threads;
                }

                public int getCorePoolSize() {
                    return threads;
                }

                public int getKeepAliveSeconds() {
                    return 30;
                }
            };
        }
    }
}
