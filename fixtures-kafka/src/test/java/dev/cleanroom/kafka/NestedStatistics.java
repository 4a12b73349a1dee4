package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.testkit.EngineKit;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The run statistics of the latest nested run ({@link EngineKit}) of a {@link Fixture} class. */
final class NestedStatistics {

    private NestedStatistics() {}

    /** A fixture class that runs only nested ({@link EngineKit.Fixture}) and records its run's statistics. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @EngineKit.Fixture
    @ExtendWith(Recorder.class)
    @interface Fixture {}

    static final class Recorder implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            lastRun = RunStatistics.of(context);
        }
    }

    private static volatile RunStatistics lastRun;

    /** The statistics of the latest nested run (a run of its own, not the outer one's). */
    static RunStatistics.Snapshot lastRun() {
        return lastRun.snapshot();
    }

    /** The latest nested run's numbers of {@code kind}. */
    static RunStatistics.Resource lastRun(String kind) {
        return lastRun().resources().getOrDefault(kind, new RunStatistics.Resource(0, 0, 0, Duration.ZERO, 0,
                Duration.ZERO));
    }

    /** Every topic and consumer group the latest nested run created is confirmed gone from the broker. */
    static void assertNothingLeft() {
        for (String kind : List.of("topics", "consumer groups")) {
            RunStatistics.Resource r = lastRun(kind);
            assertThat(r.removed()).as(kind + " removed (confirmed) of those created").isEqualTo(r.created());
        }
    }
}
