package dev.cleanroom.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The rules by which a shared server is declared gone, with the server's two questions (its
 * engine's state, and a probe) answered by the test: a server is gone when its engine says
 * so, or when it misses two probes in a row; one missed probe (a server slow under load) is
 * not enough. The real servers are in the modules' BrokerDeathTest and ServerDeathTest.
 */
class ServerWatchTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Optional<String> MISSED = Optional.of("it is not answering: no reply within 300 ms");

    private final ServerGone gone = new ServerGone("Test");

    private ServerWatch watch(Supplier<Optional<String>> engine, Supplier<Optional<String>> probe) {
        return new ServerWatch(gone, () -> "test server", TIMEOUT, engine, probe, "cleanroom-test-probe");
    }

    @Test
    void oneMissedProbeIsNotEnough() {
        AtomicInteger probes = new AtomicInteger();
        try (ServerWatch watch = watch(Optional::empty, () -> probes.incrementAndGet() == 1 ? MISSED : Optional.empty())) {
            assertThat(watch.whyGone()).isEmpty();
            assertThat(watch.ifGone(new RuntimeException("request failed"), "doing something")).isNull();
            assertThat(gone.isGone()).isFalse();
            assertThat(probes).hasValue(3); // missed, answered; answered
        }
    }

    @Test
    void twoMissedProbesInARowMakeItGone() {
        AtomicInteger probes = new AtomicInteger();
        try (ServerWatch watch = watch(Optional::empty, () -> {
            probes.incrementAndGet();
            return MISSED;
        })) {
            IllegalStateException failure = watch.ifGone(new RuntimeException("request failed"), "sending a record");
            assertThat(failure).hasMessageStartingWith("The shared Test server is gone: test server — " + MISSED.get()
                    + " (the probe before it failed too). It stopped answering while sending a record.");
            assertThat(probes).hasValue(2);
            assertThat(gone.isGone()).isTrue();
        }
    }

    @Test
    void theEnginesReasonCountsAtOnceWithoutAProbe() {
        AtomicInteger probes = new AtomicInteger();
        try (ServerWatch watch = watch(() -> Optional.of("its process exited with code 137"), () -> {
            probes.incrementAndGet();
            return Optional.empty();
        })) {
            assertThat(watch.whyGone()).contains("its process exited with code 137");
            assertThat(probes).hasValue(0);
        }
    }

    @Test
    void aServerThatRefusesAtOnceIsGivenItsEnginesReasonWhenThatComesAMomentLater() {
        long killedAt = System.nanoTime();
        Supplier<Optional<String>> engine = () -> System.nanoTime() - killedAt > TimeUnit.MILLISECONDS.toNanos(150)
                ? Optional.of("its container is not running") : Optional.empty();
        try (ServerWatch watch = watch(engine, () -> MISSED)) {
            assertThat(watch.whyGone()).contains("its container is not running");
        }
    }

    @Test
    void aWatchedWaitOnAHungServerIsInterruptedAndTheServerDeclaredGone() throws Exception {
        try (ServerWatch watch = watch(Optional::empty, () -> MISSED)) {
            long start = System.nanoTime();
            boolean interrupted = false;
            try (ServerWatch.Watch watching = watch.watch("waiting for a schema")) {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS); // a wait much longer than the probes
            } catch (InterruptedException e) {
                interrupted = true;
            }
            assertThat(interrupted).as("the wait was interrupted").isTrue();
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt left set").isFalse();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds waited").isLessThan(25);
            assertThat(watch.ifGone(null, "waiting for a schema")).hasMessageContaining(MISSED.get())
                    .hasMessageContaining("while waiting for a schema");
        }
    }

    @Test
    void aWatchedWaitOnAServerThatMissesSingleProbesIsNotCut() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        try (ServerWatch watch = watch(Optional::empty, () -> probes.incrementAndGet() % 2 == 1 ? MISSED : Optional.empty())) {
            AtomicLong waited = new AtomicLong();
            try (ServerWatch.Watch watching = watch.watch("waiting for a schema")) {
                while (probes.get() < 6) { // three looks, each one missed probe and one answered
                    Thread.sleep(20);
                    waited.addAndGet(20);
                    assertThat(waited.get()).as("ms waiting for six probes").isLessThan(30_000);
                }
            }
            assertThat(gone.isGone()).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }
}
