package dev.cleanroom.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool sized by the tests running ({@link PrefetchPool#expectParallelism}): it makes at most
 * parallelism + slack, lets returns serve the takes, and a waiting take still outranks prefetch.
 */
@Timeout(60)
class PrefetchPoolSizingTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<PrefetchWorkers> workers = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService resets = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        resets.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        resets.awaitTermination(10, TimeUnit.SECONDS);
        workers.forEach(w -> w.close(Duration.ofSeconds(5)));
    }

    private PrefetchWorkers workers(int concurrency) {
        PrefetchWorkers w = new PrefetchWorkers("cleanroom-test-prepare-", concurrency);
        workers.add(w);
        return w;
    }

    /** A preparation that takes {@code millis} (like a schema copy's DDL) and counts its calls. */
    private static PrefetchPool.Preparer<String> slow(String name, long millis, AtomicInteger calls) {
        return count -> {
            int n = calls.incrementAndGet();
            Thread.sleep(millis); // the simulated preparation's own duration, not a synchronisation
            List<String> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                made.add(name + n + "." + i);
            }
            return made;
        };
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void depthNeverExceedsParallelismPlusSlackWithTakersThatReturn() throws Exception {
        int parallelism = 4;
        int bound = parallelism + PrefetchPool.maxSlack(parallelism);
        AtomicInteger calls = new AtomicInteger();
        Map<String, Integer> madeFor = new ConcurrentHashMap<>();
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), slow("a", 40, calls)).depth(2)
                .reusable(true).onMade((why, n) -> madeFor.merge(why, n, Integer::sum)).build();
        pool.expectParallelism(parallelism);
        AtomicInteger maxDepth = new AtomicInteger();
        List<Future<Integer>> takers = new ArrayList<>();
        for (int t = 0; t < parallelism; t++) { // four tests at a time, 25 each, every resource given back after a reset
            String who = "taker" + t;
            takers.add(threads.submit(() -> {
                int waits = 0;
                for (int i = 0; i < 25; i++) {
                    String item = pool.take(LONG, who + "." + i);
                    maxDepth.accumulateAndGet(pool.stats().depth(), Math::max);
                    Thread.sleep(3); // the test's own work
                    pool.returning();
                    resets.schedule(() -> pool.giveBack(item), 2, TimeUnit.MILLISECONDS); // the reset, off the test thread
                }
                return waits;
            }));
        }
        for (Future<Integer> taker : takers) {
            taker.get(60, TimeUnit.SECONDS);
        }
        await(() -> pool.stats().inFlight() == 0, "no preparation is in flight");
        PrefetchPool.Stats stats = pool.stats();
        assertThat(stats.prepared()).as("made at most parallelism + slack: " + stats).isLessThanOrEqualTo(bound);
        assertThat(maxDepth.get()).as("the depth never went beyond it either").isLessThanOrEqualTo(bound);
        assertThat(stats.returned()).as("reuse dominates").isGreaterThanOrEqualTo(100 - stats.prepared());
        assertThat(madeFor.get("for parallelism 4")).as("why they were made: " + madeFor).isEqualTo(parallelism);
        assertThat(madeFor.keySet()).isSubsetOf("for parallelism 4", "slack");
        assertThat(stats.made()).isEqualTo(Map.copyOf(madeFor.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue()))));
        pool.close(LONG);
    }

    @Test
    void aWaitingTakeStillOutranksPrefetchOfAnotherPoolSizedByParallelism() throws Exception {
        Queue<String> started = new ConcurrentLinkedQueue<>();
        Semaphore busyGate = new Semaphore(0);
        Semaphore neededGate = new Semaphore(0);
        PrefetchWorkers w = workers(1);
        PrefetchPool<String> busyPool = PrefetchPool.builder("busy thing", w, gated("busy", started, busyGate))
                .reusable(true).build();
        busyPool.expectParallelism(4); // five to make ahead: one started, four queued
        await(() -> started.size() == 1, "the first prefetch of the busy pool started");
        PrefetchPool<String> neededPool = PrefetchPool.builder("needed thing", w, gated("needed", started, neededGate))
                .depth(0).build();
        Future<String> taker = threads.submit(() -> neededPool.take(LONG, "waiting test"));
        await(() -> neededPool.stats().waiting() == 1, "the test waits");
        busyGate.release(1); // the running prefetch ends; the free thread must serve the waiting test
        await(() -> started.size() == 2, "the next preparation started");
        assertThat(new ArrayList<>(started)).containsExactly("busy", "needed");
        neededGate.release(100);
        assertThat(taker.get(30, TimeUnit.SECONDS)).startsWith("needed");
        busyGate.release(100);
        assertThat(busyPool.close(LONG)).isTrue();
        assertThat(neededPool.close(LONG)).isTrue();
    }

    private static PrefetchPool.Preparer<String> gated(String name, Queue<String> started, Semaphore gate) {
        AtomicInteger calls = new AtomicInteger();
        return count -> {
            int n = calls.incrementAndGet();
            started.add(name);
            if (!gate.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
            return List.of(name + n);
        };
    }

    @Test
    void aCopyIsNotMadeWhenAReturnIsDueSooner() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // a preparation takes 400 ms; a test holds its resource about 30 ms, and its reset is immediate
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), slow("a", 400, calls))
                .reusable(true).build();
        pool.expectParallelism(1);
        await(() -> pool.stats().ready() == 2 && pool.stats().inFlight() == 0, "parallelism 1 + slack 1 are ready");
        for (int i = 0; i < 4; i++) { // the pool learns how long a resource is held
            String item = pool.take(LONG, "learn" + i);
            Thread.sleep(30); // the test's work
            pool.returning();
            assertThat(pool.giveBack(item)).isTrue();
        }
        assertThat(calls.get()).isEqualTo(2);
        String first = pool.take(LONG, "first");
        pool.take(LONG, "second"); // the stock is empty now; both are held, each due back in about 30 ms
        Future<String> third = threads.submit(() -> pool.take(LONG, "third"));
        await(() -> pool.stats().waiting() == 1, "the third take waits");
        Thread.sleep(20); // the held ones are not back yet: a copy (400 ms) would arrive after them
        assertThat(calls.get()).as("no copy while a return is due sooner than a preparation: " + pool.stats()).isEqualTo(2);
        pool.returning();
        assertThat(pool.giveBack(first)).isTrue();
        assertThat(third.get(30, TimeUnit.SECONDS)).as("the waiting take gets the returned one").isEqualTo(first);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(pool.stats().waited()).isEqualTo(1);
        pool.close(LONG);
    }

    @Test
    void aWaitingTakeGetsACopyWhenTheExpectedReturnIsLongOverdue() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), slow("a", 50, calls))
                .reusable(true).build();
        pool.expectParallelism(1);
        await(() -> pool.stats().ready() == 2 && pool.stats().inFlight() == 0, "parallelism 1 + slack 1 are ready");
        for (int i = 0; i < 3; i++) {
            String item = pool.take(LONG, "learn" + i);
            Thread.sleep(10);
            pool.returning();
            assertThat(pool.giveBack(item)).isTrue();
        }
        pool.take(LONG, "long test");
        pool.take(LONG, "another");
        // neither comes back: once their expected return is overdue by a preparation's time, the waiter gets a copy
        assertThat(pool.take(LONG, "waiting")).startsWith("a");
        assertThat(calls.get()).isEqualTo(3);
        assertThat(pool.stats().made()).containsEntry("for waiting tests", 1L);
        pool.close(LONG);
    }
}
