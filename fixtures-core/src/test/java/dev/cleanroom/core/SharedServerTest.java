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
import dev.cleanroom.testkit.EngineKit;
import java.util.List;
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
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

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

    static final java.util.List<String> RUN_END = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A fixture that registers run-wide work (as the Kafka and Postgres confirmations do) after taking its server. */
    @Cleanroom
    static class RunWideWork {
        @RegisterExtension
        static final BeforeEachCallback CONFIRM = context -> {
            ProbeServer server = Fixtures.sharedServer(context, ProbeProvider.class);
            Fixtures.runScope(context).onClose("confirm", () -> RUN_END.add("confirmed while closes = " + server.closes.get()));
            SEEN.add(server);
        };

        @Test void one() {}
        @Test void two() {}
    }

    @Test
    void theRunsWorkAndItsHoldOnServersEndWithTheRunAlsoWithoutJUnitClosingStoreValues() {
        RUN_END.clear();
        EngineKit.run(RunWideWork.class, "junit.jupiter.extensions.store.close.autocloseable.enabled", "false")
                .testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(SEEN).hasSize(1);
        // each test's run-wide work ran when the run ended, before the server stopped
        assertThat(RUN_END).containsExactly("confirmed while closes = 0", "confirmed while closes = 0");
        assertThat(SEEN.iterator().next().closes).hasValue(1);
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

    @ProbeServers.UsesBroken
    static class AlsoNeedsTheBrokenServer {
        @Test void three() {}
    }

    @ProbeServers.UsesHanging
    static class NeedsAHangingServer {
        @Test void one() {}
    }

    @ProbeServers.UsesHanging
    static class AlsoNeedsTheHangingServer {
        @Test void two() {}
    }

    @ProbeServers.UsesLate
    static class NeedsALateServer {
        @Test void one() {}
    }

    private static final String BROKEN = "The shared probe server could not be started on engine external:"
            + " java.lang.IllegalStateException: port 5432 is taken";

    private static EngineExecutionResults runClasses(Class<?>... classes) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(CoreSettings.SERVER_START_TIMEOUT.key(), "3s");
        for (Class<?> c : classes) {
            builder.selectors(DiscoverySelectors.selectClass(c));
        }
        return builder.execute();
    }

    /** Every failure in the run: the classes that needed the server, and nothing at the run's end. */
    private static List<Throwable> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
    }

    @Test
    void aServerThatCannotStartFailsEachClassOnceWithTheCauseAndIsRememberedForTheJvm() {
        EngineExecutionResults first = runClasses(NeedsABrokenServer.class, AlsoNeedsTheBrokenServer.class);
        first.containerEvents().assertThatEvents().haveExactly(1,
                event(container(NeedsABrokenServer.class), finishedWithFailure(instanceOf(IllegalStateException.class),
                        message(BROKEN))));
        // reported on the two classes that needed it, and nowhere else (no second report when the run ends)
        assertThat(failures(first)).extracting(Throwable::getMessage).containsExactly(BROKEN, BROKEN);
        // a later run in this JVM fails at once with the same cause; the start is not tried again
        EngineExecutionResults later = runClasses(AlsoNeedsTheBrokenServer.class);
        assertThat(failures(later)).extracting(Throwable::getMessage).containsExactly(BROKEN);
        assertThat(ProbeServers.BROKEN_STARTS).hasValue(1);
    }

    @Test
    void aStartThatTimesOutIsInterruptedReportedOncePerClassAndRemembered() throws InterruptedException {
        long start = System.nanoTime();
        EngineExecutionResults results = runClasses(NeedsAHangingServer.class, AlsoNeedsTheHangingServer.class);
        long firstRunMillis = (System.nanoTime() - start) / 1_000_000;
        String timedOut = "The shared hanging server (engine external) did not start within 3 s"
                + " (cleanroom.server.start-timeout)";
        assertThat(failures(results)).hasSize(2).allSatisfy(f -> assertThat(f)
                .isInstanceOf(WaitTimeoutException.class).hasMessageStartingWith(timedOut));
        // the second class did not wait another 3 s: one timeout for the run (the margin is for a loaded machine)
        assertThat(firstRunMillis).isLessThan(5500);
        assertThat(ProbeServers.HANGING_INTERRUPTED.await(5, TimeUnit.SECONDS)).isTrue();

        long again = System.nanoTime();
        assertThat(failures(runClasses(NeedsAHangingServer.class))).singleElement()
                .satisfies(f -> assertThat(f).hasMessageStartingWith(timedOut));
        assertThat((System.nanoTime() - again) / 1_000_000).isLessThan(2500); // no new 3 s wait
        assertThat(ProbeServers.HANGING_STARTS).hasValue(1);
    }

    @Test
    void aServerThatArrivesAfterItsStartTimedOutIsStoppedOnArrival() throws InterruptedException {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(CoreSettings.SERVER_START_TIMEOUT.key(), "500ms")
                .selectors(DiscoverySelectors.selectClass(NeedsALateServer.class)).execute();
        assertThat(failures(results)).singleElement()
                .satisfies(f -> assertThat(f).hasMessageContaining("did not start within"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((ProbeServers.LATE.get() == null || ProbeServers.LATE.get().closes.get() == 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProbeServers.LATE.get()).isNotNull();
        assertThat(ProbeServers.LATE.get().closes).hasValue(1);
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
