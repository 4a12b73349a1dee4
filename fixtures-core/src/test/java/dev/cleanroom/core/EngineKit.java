package dev.cleanroom.core;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs a fixture class through the Jupiter engine with configuration parameters given as key, value pairs. */
public final class EngineKit {

    private EngineKit() {}

    public static EngineExecutionResults run(Class<?> fixture, String... keyValues) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture));
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.configurationParameter(keyValues[i], keyValues[i + 1]);
        }
        return builder.execute();
    }
}
