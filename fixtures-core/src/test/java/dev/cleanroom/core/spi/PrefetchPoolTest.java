package dev.cleanroom.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The prefetch pool on its own: depth, demand, priority, failures, close, no ForkJoinPool
 * compensation, and sizing by the tests running (at most parallelism + slack, returns first).
 */
@Timeout(60)
class PrefetchPoolTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<PrefetchWorkers> workers = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopWorkers() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        workers.forEach(w -> w.close(Duration.ofSeconds(5)));
    }

    private PrefetchWorkers workers(int concurrency) {
        PrefetchWorkers w = new PrefetchWorkers("cleanroom-test-prepare-", concurrency);
        workers.add(w);
        return w;
    }

    /** Preparations that record their start and, when gated, wait for a permit. */
    private static final class Source implements PrefetchPool.Preparer<String> {
        final String name;
        final Queue<String> started;
        final Semaphore permits;
        final AtomicInteger calls = new AtomicInteger();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Source(String name, Queue<String> started, boolean gated) {
            this.name = name;
            this.started = started;
            this.permits = gated ? new Semaphore(0) : null;
        }

        @Override
        public List<String> prepare(int count) throws Exception {
            int n = calls.incrementAndGet();
            started.add(name);
            if (permits != null && !permits.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
            Throwable failure = failures.poll();
            if (failure instanceof Exception e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
            List<String> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                made.add(name + n + "." + i);
            }
            return made;
        }
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
    void preparesItsDepthAheadAndHandsOutOldestFirst() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), false);
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), source).depth(3).build();
        await(() -> pool.stats().ready() == 3, "three are ready");
        Thread.sleep(50); // nothing beyond the depth is prepared
        assertThat(source.calls.get()).isEqualTo(3);
        String first = pool.take(LONG, "t1");
        assertThat(List.of("a1.0", "a2.0", "a3.0")).contains(first);
        await(() -> pool.stats().ready() == 3, "the taken one is replaced");
        assertThat(pool.stats().waited()).isZero();
        pool.close(LONG);
    }

    @Test
    void depthGrowsWhenTestsHaveToWait() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), true);
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), source).depth(1).maxDepth(8).build();
        source.permits.release(1);
        await(() -> pool.stats().ready() == 1, "one is ready");
        pool.take(LONG, "t1");
        // the replacement is gated: the next take has to wait, so the depth doubles
        Future<String> second = threads.submit(() -> pool.take(LONG, "t2"));
        await(() -> pool.stats().waiting() == 1, "t2 waits");
        assertThat(pool.stats().depth()).isEqualTo(2);
        source.permits.release(100);
        assertThat(second.get(30, TimeUnit.SECONDS)).startsWith("a");
        await(() -> pool.stats().ready() == 2, "the new depth is ready");
        Thread.sleep(50);
        assertThat(pool.stats().ready()).as("no more than the depth").isEqualTo(2);
        pool.close(LONG);
    }

    @Test
    void announcedDemandCapsWhatIsPrepared() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), false);
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), source).depth(0).build();
        pool.expectDemand(3);
        await(() -> pool.stats().ready() == 3, "the announced three are ready");
        for (int i = 0; i < 3; i++) {
            pool.take(LONG, "t" + i);
        }
        Thread.sleep(50);
        assertThat(source.calls.get()).as("nothing beyond the announced demand").isEqualTo(3);
        assertThat(pool.stats().waited()).isZero();
        // an unannounced take is still served
        assertThat(pool.take(LONG, "extra")).startsWith("a");
        pool.close(LONG);
    }

    @Test
    void aResourceGivenBackGoesToTheWaitingTestAndCountsAsPreparedMeanwhile() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), true);
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), source).depth(1).build();
        source.permits.release(1);
        await(() -> pool.stats().ready() == 1, "one is ready");
        String taken = pool.take(LONG, "t1");
        // while t1 holds its resource, the pool refills its depth
        source.permits.release(1);
        await(() -> pool.stats().ready() == 1 && source.calls.get() == 2, "the depth is refilled");
        pool.returning(); // t1 ended: its resource is being reset
        String next = pool.take(LONG, "t2");
        assertThat(next).isNotEqualTo(taken);
        Thread.sleep(50);
        assertThat(source.calls.get()).as("nothing new is prepared in place of one coming back").isEqualTo(2);
        Future<String> third = threads.submit(() -> pool.take(LONG, "t3"));
        await(() -> pool.stats().waiting() == 1, "t3 waits");
        assertThat(pool.giveBack(taken)).isTrue();
        assertThat(third.get(30, TimeUnit.SECONDS)).as("the waiting test gets the one given back").isEqualTo(taken);
        assertThat(pool.stats().returned()).isEqualTo(1);
        // one that does not come back frees its place (t3 waited, so the depth may have grown meanwhile)
        source.permits.release(100);
        await(() -> pool.stats().inFlight() == 0 && pool.stats().ready() == pool.stats().depth(), "the depth is refilled");
        int calls = source.calls.get();
        pool.returning(); // a running test will give its resource back
        pool.take(LONG, "t4");
        Thread.sleep(50);
        assertThat(source.calls.get()).as("the one coming back counts as prepared").isEqualTo(calls);
        pool.returnFailed();
        await(() -> source.calls.get() > calls, "a new one is prepared in place of the one that did not come back");
        pool.close(LONG);
        assertThat(pool.giveBack("late")).as("a closed pool takes nothing back; the caller releases it").isFalse();
    }

    @Test
    void aBatchingPreparerIsAskedForSeveralAtOnce() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), false);
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(1), source).depth(6).maxBatch(4).build();
        await(() -> pool.stats().ready() == 6, "six are ready");
        assertThat(source.calls.get()).isEqualTo(2);
        pool.close(LONG);
    }

    @Test
    void waitingTestsAreServedInSmallBatchesWithoutWaitingForALargePrefetchBatch() throws Exception {
        Queue<Integer> counts = new ConcurrentLinkedQueue<>();
        CountDownLatch largeMayEnd = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        PrefetchPool.Preparer<String> preparer = count -> {
            counts.add(count);
            if (count > 2 && !largeMayEnd.await(30, TimeUnit.SECONDS)) { // the large prefetch batch hangs until released
                throw new IllegalStateException("test gate never opened");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add("r" + made.incrementAndGet());
            }
            return out;
        };
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), preparer).depth(0).maxBatch(16)
                .urgentBatch(2).build();
        pool.expectDemand(16);
        await(() -> counts.size() == 1, "the large prefetch batch started");
        assertThat(counts.peek()).as("prefetch asks for a large batch").isEqualTo(16);
        List<Future<String>> takers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String who = "t" + i;
            takers.add(threads.submit(() -> pool.take(LONG, who)));
        }
        for (Future<String> taker : takers) { // served while the large batch still hangs
            assertThat(taker.get(30, TimeUnit.SECONDS)).startsWith("r");
        }
        assertThat(new ArrayList<>(counts).subList(1, counts.size())).as("urgent batches are small").allMatch(c -> c <= 2);
        largeMayEnd.countDown();
        assertThat(pool.close(LONG)).isTrue();
    }

    @Test
    void aWaitingTestOutranksPrefetchWorkOfAnotherPool() throws Exception {
        Queue<String> started = new ConcurrentLinkedQueue<>();
        PrefetchWorkers w = workers(1);
        Source busy = new Source("busy", started, true);
        Source needed = new Source("needed", started, true);
        PrefetchPool<String> busyPool = PrefetchPool.builder("busy thing", w, busy).depth(5).build();
        await(() -> started.size() == 1, "the first prefetch of the busy pool started");
        PrefetchPool<String> neededPool = PrefetchPool.builder("needed thing", w, needed).depth(0).build();
        Future<String> taker = threads.submit(() -> neededPool.take(LONG, "waiting test"));
        await(() -> neededPool.stats().waiting() == 1, "the test waits");
        busy.permits.release(1); // the running prefetch ends; the free thread must serve the waiting test
        await(() -> started.size() == 2, "the next preparation started");
        assertThat(new ArrayList<>(started)).containsExactly("busy", "needed");
        needed.permits.release(1);
        assertThat(taker.get(30, TimeUnit.SECONDS)).startsWith("needed");
        busy.permits.release(100);
        needed.permits.release(100); // the wait raised its depth to 1: one more is being prepared
        assertThat(busyPool.close(LONG)).isTrue();
        assertThat(neededPool.close(LONG)).isTrue();
    }

    @Test
    void prefetchNeverTakesTheLastThread() throws Exception {
        Queue<String> started = new ConcurrentLinkedQueue<>();
        PrefetchWorkers w = workers(2);
        Source busy = new Source("busy", started, true);
        Source needed = new Source("needed", started, false);
        PrefetchPool<String> busyPool = PrefetchPool.builder("busy thing", w, busy).depth(5).build();
        await(() -> started.size() == 1, "one prefetch started");
        Thread.sleep(50);
        assertThat(started).as("prefetch uses one of the two threads only").hasSize(1);
        PrefetchPool<String> neededPool = PrefetchPool.builder("needed thing", w, needed).depth(0).build();
        assertThat(neededPool.take(LONG, "waiting test")).startsWith("needed");
        busy.permits.release(100);
        busyPool.close(LONG);
        neededPool.close(LONG);
    }

    @Test
    void aTransientFailureFailsOneTakeAndTheNextTriesAgain() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), false);
        source.failures.add(new java.io.IOException("connection reset"));
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(1), source).depth(0).build();
        assertThatThrownBy(() -> pool.take(LONG, "t1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Preparing a thing for t1 failed")
                .hasRootCauseMessage("connection reset");
        assertThat(pool.take(LONG, "t2")).startsWith("a");
        assertThat(pool.stats().failures()).isEqualTo(1);
        pool.close(LONG);
    }

    @Test
    void aDeterministicFailureIsKeptAndReportedToEveryLaterTakerAtOnce() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), true);
        source.failures.add(new IllegalArgumentException("broken migration V2"));
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), source).depth(0)
                .deterministic(t -> t instanceof IllegalArgumentException)
                .failureForTaker((t, taker) -> new IllegalArgumentException(taker + ": " + t.getMessage(), t))
                .build();
        List<Future<String>> takers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "t" + i;
            takers.add(threads.submit(() -> pool.take(LONG, name)));
        }
        await(() -> pool.stats().waiting() == 3, "three tests wait");
        source.permits.release(100);
        for (Future<String> f : takers) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("broken migration V2");
        }
        int calls = source.calls.get();
        assertThatThrownBy(() -> pool.take(LONG, "later"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("later: broken migration V2");
        assertThat(source.calls.get()).as("no new preparation after a deterministic failure").isEqualTo(calls);
        pool.close(LONG);
    }

    @Test
    void anErrorReachesTheWaiterAtOnce() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), false);
        source.failures.add(new NoClassDefFoundError("org/flywaydb/core/Flyway"));
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(1), source).depth(0).build();
        // the take would wait an hour; the class's @Timeout(60) fails the test if the Error does not arrive
        assertThatThrownBy(() -> pool.take(Duration.ofHours(1), "t1"))
                .hasMessageContaining("Preparing a thing for t1 failed")
                .hasCauseInstanceOf(NoClassDefFoundError.class);
        assertThatThrownBy(() -> pool.take(Duration.ofHours(1), "t2")).hasCauseInstanceOf(NoClassDefFoundError.class);
        assertThat(source.calls.get()).isEqualTo(1);
        pool.close(LONG);
    }

    @Test
    void aTimeoutSaysWhatWasAwaitedHowLongAndWhatWasSeen() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), true);
        PrefetchPool<String> pool = PrefetchPool.builder("migrated schema from db/migration", workers(1), source).depth(0)
                .timeoutSetting("cleanroom.postgres.prepare-timeout").build();
        assertThatThrownBy(() -> pool.take(Duration.ofMillis(100), "OrdersTest.saves()"))
                .isInstanceOf(dev.cleanroom.core.WaitTimeoutException.class)
                .hasMessage("Waited 100 ms for a migrated schema from db/migration for OrdersTest.saves(), but none became "
                        + "ready (1 being prepared, 0 other test(s) waiting, none prepared yet). If the server is just slow, "
                        + "raise cleanroom.postgres.prepare-timeout.");
        source.permits.release(100);
        pool.close(LONG);
    }

    @Test
    void closingDiscardsWhatWasNeverTakenIncludingLatePreparations() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), true);
        List<String> discarded = Collections.synchronizedList(new ArrayList<>());
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), source).depth(2).maxBatch(1)
                .discard(discarded::add).build();
        source.permits.release(1);
        await(() -> pool.stats().ready() == 1 && pool.stats().inFlight() == 1, "one ready, one in flight");
        Future<Boolean> closing = threads.submit(() -> pool.close(LONG));
        await(() -> discarded.size() == 1, "the ready one is discarded");
        source.permits.release(1); // the late one completes after close
        assertThat(closing.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(discarded).hasSize(2);
        assertThat(pool.stats().discarded()).isEqualTo(2);
        assertThatThrownBy(() -> pool.take(LONG, "late")).hasMessageContaining("closed");
    }

    @Test
    void closingFailsTheTestsStillWaiting() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), true);
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(1), source).depth(0).build();
        Future<String> taker = threads.submit(() -> pool.take(LONG, "t1"));
        await(() -> pool.stats().waiting() == 1, "t1 waits");
        Future<Boolean> closing = threads.submit(() -> pool.close(Duration.ofSeconds(5)));
        assertThatThrownBy(() -> taker.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("The pool of thing was closed while waiting");
        source.permits.release(1);
        assertThat(closing.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTakeBlockedOnAForkJoinWorkerDoesNotMakeThePoolAddWorkers() throws Exception {
        Source source = new Source("a", new ConcurrentLinkedQueue<>(), true);
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(1), source).depth(0).build();
        ForkJoinPool junitLike = new ForkJoinPool(2);
        try {
            List<Future<String>> takers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String name = "t" + i;
                takers.add(junitLike.submit(() -> pool.take(LONG, name)));
            }
            await(() -> pool.stats().waiting() == 2, "both workers block in take");
            Thread.sleep(100);
            assertThat(junitLike.getPoolSize()).as("no compensating worker for a blocked take").isEqualTo(2);
            assertThat(pool.stats().waiting()).isEqualTo(2);
            source.permits.release(100);
            for (Future<String> f : takers) {
                assertThat(f.get(30, TimeUnit.SECONDS)).startsWith("a");
            }
        } finally {
            junitLike.shutdownNow();
            junitLike.awaitTermination(10, TimeUnit.SECONDS);
        }
        pool.close(LONG);
    }

    @Test
    void theProbeOfTheTestAboveSeesCompensationWhenThereIsSome() throws Exception {
        ForkJoinPool junitLike = new ForkJoinPool(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blocked = new AtomicInteger();
        try {
            for (int i = 0; i < 4; i++) {
                junitLike.submit(() -> {
                    blocked.incrementAndGet();
                    ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                        @Override
                        public boolean block() throws InterruptedException {
                            return release.await(30, TimeUnit.SECONDS) || true;
                        }

                        @Override
                        public boolean isReleasable() {
                            return release.getCount() == 0;
                        }
                    });
                    return null;
                });
            }
            await(() -> blocked.get() == 4, "all four block (only possible with compensation)");
            assertThat(junitLike.getPoolSize()).isGreaterThan(2);
        } finally {
            release.countDown();
            junitLike.shutdownNow();
            junitLike.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
    // ---------------------------------------------------------------- sized by the tests running (expectParallelism)

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

    /** Takes, holds for {@code holdMillis} and gives back, {@code cycles} times: the pool learns how long a test holds one. */
    private static void cycle(PrefetchPool<String> pool, int cycles, long holdMillis) throws Exception {
        for (int i = 0; i < cycles; i++) {
            String item = pool.take(LONG, "learn" + i);
            Thread.sleep(holdMillis); // the test's work
            pool.returning();
            assertThat(pool.giveBack(item)).isTrue();
        }
    }

    @Test
    void depthNeverExceedsParallelismPlusSlackWithTakersThatReturn() throws Exception {
        int parallelism = 4;
        int bound = parallelism + PrefetchPool.maxSlack(parallelism);
        AtomicInteger calls = new AtomicInteger();
        Map<String, Integer> madeFor = new ConcurrentHashMap<>();
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), slow("a", 40, calls)).depth(2)
                .reusable(true).parallelism(parallelism).onMade((why, n) -> madeFor.merge(why, n, Integer::sum)).build();
        AtomicInteger maxDepth = new AtomicInteger();
        List<Future<Void>> takers = new ArrayList<>();
        for (int t = 0; t < parallelism; t++) { // four tests at a time, 25 each, every resource given back after a reset
            String who = "taker" + t;
            takers.add(threads.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    String item = pool.take(LONG, who + "." + i);
                    maxDepth.accumulateAndGet(pool.stats().depth(), Math::max);
                    Thread.sleep(3); // the test's own work
                    pool.returning();
                    threads.submit(() -> { // the reset, off the test thread
                        Thread.sleep(2);
                        return pool.giveBack(item);
                    });
                }
                return null;
            }));
        }
        for (Future<Void> taker : takers) {
            taker.get(60, TimeUnit.SECONDS);
        }
        await(() -> pool.stats().inFlight() == 0, "no preparation is in flight");
        await(() -> madeFor.values().stream().mapToInt(Integer::intValue).sum() == pool.stats().prepared(),
                "every preparation was told why (after the pool's lock is released)");
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
        PrefetchWorkers w = workers(1);
        Source busy = new Source("busy", started, true);
        Source needed = new Source("needed", started, true);
        PrefetchPool<String> busyPool = PrefetchPool.builder("busy thing", w, busy).reusable(true).build();
        busyPool.expectParallelism(4); // five to make ahead: one started, four to come
        await(() -> started.size() == 1, "the first prefetch of the busy pool started");
        PrefetchPool<String> neededPool = PrefetchPool.builder("needed thing", w, needed).depth(0).build();
        neededPool.expectParallelism(4);
        Future<String> taker = threads.submit(() -> neededPool.take(LONG, "waiting test"));
        await(() -> neededPool.stats().waiting() == 1, "the test waits");
        busy.permits.release(1); // the running prefetch ends; the free thread must serve the waiting test
        await(() -> started.size() == 2, "the next preparation started");
        assertThat(new ArrayList<>(started)).containsExactly("busy", "needed");
        needed.permits.release(100);
        assertThat(taker.get(30, TimeUnit.SECONDS)).startsWith("needed");
        busy.permits.release(100);
        assertThat(busyPool.close(LONG)).isTrue();
        assertThat(neededPool.close(LONG)).isTrue();
    }

    @Test
    void aCopyIsNotMadeWhenAReturnIsDueSooner() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // a preparation takes 400 ms; a test holds its resource about 30 ms, and its reset is immediate
        PrefetchPool<String> pool = PrefetchPool.builder("thing", workers(2), slow("a", 400, calls))
                .reusable(true).build();
        pool.expectParallelism(1);
        await(() -> pool.stats().ready() == 2 && pool.stats().inFlight() == 0, "parallelism 1 + slack 1 are ready");
        cycle(pool, 4, 30);
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
        cycle(pool, 3, 10);
        pool.take(LONG, "long test");
        pool.take(LONG, "another");
        // neither comes back: once their expected return is overdue by a preparation's time, the waiter gets a copy
        assertThat(pool.take(LONG, "waiting")).startsWith("a");
        assertThat(calls.get()).isEqualTo(3);
        assertThat(pool.stats().made()).containsEntry("for waiting tests", 1L);
        pool.close(LONG);
    }
}
