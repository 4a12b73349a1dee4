package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.ProbeServers.ProbeProvider;
import dev.cleanroom.core.ProbeServers.ProbeServer;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.SharedServerProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Suite scope: servers created once per JVM, concurrently, closed when the run ends. */
class SharedServerTest {

    static final Set<ProbeServer> SEEN = ConcurrentHashMap.newKeySet();
    static final Map<String, ProbeServer> BY_TECHNOLOGY = new ConcurrentHashMap<>();

    @BeforeEach
    void reset() {
        SEEN.clear();
        BY_TECHNOLOGY.clear();
        ProbeServers.PROBE_STARTS.set(0);
        ProbeServers.BROKEN_STARTS.set(0);
        ProbeServers.LAST_CLOSED.set(null);
    }

    /** Asks for the server from eight tests at once, with no up-front start. */
    @Cleanroom
    @Execution(ExecutionMode.CONCURRENT)
    static class EightParallelTests {
        static final CountDownLatch ALL_READY = new CountDownLatch(8);

        @RegisterExtension
        static final BeforeEachCallback RACE = context -> {
            ALL_READY.countDown();
            ALL_READY.await(10, TimeUnit.SECONDS); // everyone asks at the same moment
            SEEN.add(Fixtures.sharedServer(context, ProbeProvider.class));
        };

        @Test void t1() {}
        @Test void t2() {}
        @Test void t3() {}
        @Test void t4() {}
        @Test void t5() {}
        @Test void t6() {}
        @Test void t7() {}
        @Test void t8() {}
    }

    @ProbeServers.UsesProbe
    @ProbeServers.UsesOther
    static class NeedsTwoServers {
        @RegisterExtension
        static final BeforeEachCallback RECORD = context -> {
            record(context, ProbeProvider.class);
            record(context, ProbeServers.OtherProvider.class);
        };

        static void record(ExtensionContext context, Class<? extends SharedServerProvider<ProbeServer>> type) {
            ProbeServer server = Fixtures.sharedServer(context, type);
            BY_TECHNOLOGY.put(server.technology, server);
        }

        @Test
        void usesBoth() {
        }
    }

    @ProbeServers.UsesBroken
    static class NeedsABrokenServer {
        @Test void one() {}
        @Test void two() {}
    }

    @Test
    void aServerAskedForByManyParallelTestsIsCreatedOnceAndClosedWhenTheRunEnds() {
        EngineKit.run(EightParallelTests.class,
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "8")
                .testEvents().assertStatistics(s -> s.succeeded(8));
        assertThat(ProbeServers.PROBE_STARTS).hasValue(1);
        assertThat(SEEN).hasSize(1);
        ProbeServer server = SEEN.iterator().next();
        assertThat(server.engine).isEqualTo(Engine.EXTERNAL);
        assertThat(server.closes).hasValue(1);
        // the run summary says which engine served
        assertThat(dev.cleanroom.core.internal.EngineSelection.servedEngines()).contains("probe external");
    }

    @Test
    void theServersAClassNeedsStartConcurrently() {
        EngineKit.run(NeedsTwoServers.class).testEvents().assertStatistics(s -> s.succeeded(1));
        ProbeServer probe = BY_TECHNOLOGY.get("probe");
        ProbeServer other = BY_TECHNOLOGY.get("other");
        assertThat(probe).isNotNull();
        assertThat(other).isNotNull();
        // each takes 400 ms to start; one after the other would not overlap
        assertThat(probe.startedNanos).isLessThan(other.readyNanos);
        assertThat(other.startedNanos).isLessThan(probe.readyNanos);
        assertThat(probe.closes).hasValue(1);
        assertThat(other.closes).hasValue(1);
    }

    @Test
    void aServerThatCannotStartFailsTheClassWithTheCauseAndIsNotRetriedPerTest() {
        EngineKit.run(NeedsABrokenServer.class).containerEvents().assertThatEvents().haveExactly(1,
                event(container(NeedsABrokenServer.class), finishedWithFailure(instanceOf(IllegalStateException.class),
                        message("The shared probe server could not be started on engine external:"
                                + " java.lang.IllegalStateException: port 5432 is taken"))));
        assertThat(ProbeServers.BROKEN_STARTS).hasValue(1);
    }

    @Test
    void anEngineValueThatIsNotAllowedFailsTheClassNamingKeyValueAndChoices() {
        EngineKit.run(NeedsTwoServers.class, "cleanroom.other.engine", "kubernetes").containerEvents()
                .assertThatEvents().haveExactly(1, event(container(NeedsTwoServers.class), finishedWithFailure(
                        instanceOf(ConfigurationException.class), message("Bad value for cleanroom.other.engine:"
                                + " 'kubernetes' (from JUnit configuration parameter cleanroom.other.engine)."
                                + " Allowed: auto, testcontainers, embedded, external."))));
    }
}
