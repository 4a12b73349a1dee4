package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.ProbeServers.UsesProbe;
import dev.cleanroom.testkit.EngineKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/** A Spring test with Cleanroom fixtures but without fixtures-spring is refused with the dependency to add. */
class SpringWithoutModuleTest {

    @Test
    void springTestWithFixturesNeedsFixturesSpring() {
        EngineExecutionResults results = EngineKit.run(SpringFixture.class);

        Throwable failure = results.containerEvents().failed().stream().findFirst()
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class))
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
        assertThat(failure).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(SpringFixture.class.getName() + " is a Spring test with Cleanroom fixtures")
                .hasMessageContaining("<artifactId>fixtures-spring</artifactId>");
        assertThat(results.testEvents().started().count()).isZero();
    }

    @Test
    void plainTestWithFixturesRuns() {
        EngineExecutionResults results = EngineKit.run(PlainFixture.class);

        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
    }

    @Cleanroom
    @UsesProbe
    @ExtendWith(SpringExtension.class)
    static class SpringFixture {
        @Test
        void test() {}
    }

    @Cleanroom
    @UsesProbe
    static class PlainFixture {
        @Test
        void test() {}
    }
}
