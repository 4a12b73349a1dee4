package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The same isolation without JUnit: try-with-resources, same order, same reporting; and from many threads. */
class PlainScopeTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    @AfterEach
    void release() throws InterruptedException {
        JOURNAL.clear();
        Leakers.releaseAll();
    }

    /** A service with a background worker, built the way a test would get it. */
    static final class Indexer {
        final ExecutorService worker;
        final EventCoordinator events;

        Indexer(TaskTracker tasks, EventCoordinator events) {
            this.worker = tasks.newSingleThreadExecutor("indexer");
            this.events = events;
        }

        void index(String doc) {
            worker.execute(events.signalAfter("indexed", () -> JOURNAL.add("indexed " + doc)));
        }

        public void stop() {
            JOURNAL.add("indexer stopped");
        }
    }

    static final class IndexerFactory implements ServiceFactory<Indexer> {
        @Override
        public Class<Indexer> serviceType() {
            return Indexer.class;
        }

        @Override
        public Indexer create(ServiceContext context) {
            return new Indexer(context.tracker(), context.coordinator());
        }
    }

    @Test
    void aPlainScopeTracksServicesTasksAndClosersAndClosesInReverseOrder() {
        ExecutorService worker;
        try (IsolationScope scope = IsolationScope.open("complex_test")) {
            TaskTracker tasks = TaskTracker.in(scope);
            EventCoordinator events = EventCoordinator.in(scope);
            scope.onClose("database", () -> JOURNAL.add("database closed"));
            Indexer indexer = ScopedServices.start(scope, new IndexerFactory());
            indexer.index("a");
            indexer.index("b");
            assertThat(events.await("indexed", 2)).hasSize(2);
            assertThat(TaskTracker.in(scope)).isSameAs(tasks);
            worker = indexer.worker;
        }
        assertThat(JOURNAL).containsExactly("indexed a", "indexed b", "indexer stopped", "database closed");
        assertThat(worker.isTerminated()).isTrue();
    }

    @Test
    void leaksInPlainCodeAreReportedWhenTheScopeCloses() throws InterruptedException {
        IsolationScope scope = IsolationScope.open("leaky_block");
        TaskTracker tasks = TaskTracker.in(scope);
        Leakers.leak("plain-orphan");
        CompletableFuture<Object> forgotten = tasks.supplyAsync(() -> {
            throw new IllegalStateException("nobody looked");
        });
        Waits.until("the future to fail", forgotten::isDone); // isDone does not read the outcome
        assertThatThrownBy(scope::close).isInstanceOf(ScopeTeardownException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().satisfies(closer ->
                        assertThat(closer.getCause()).isInstanceOf(LeakException.class)
                                .hasMessageContaining("2 leaks in leaky_block")
                                .hasMessageContaining("UNREAD_FAILURE")
                                .hasMessageContaining("nobody looked")
                                .hasMessageContaining("THREAD: thread 'plain-orphan'")));
    }

    @Test
    void workTrackedAfterTheScopeClosedIsRefusedWithAReason() {
        IsolationScope scope = IsolationScope.open("finished");
        TaskTracker tasks = TaskTracker.in(scope);
        scope.close();
        assertThatThrownBy(() -> tasks.newFixedThreadPool("late", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The task tracker of finished is closed");
        assertThatThrownBy(() -> tasks.runAsync(() -> { })).hasMessageContaining("no more async work is accepted");
    }

    @RepeatedTest(3)
    void aScopeUsedFromManyThreadsClosesEverythingExactlyOnce() throws Exception {
        int threads = 8;
        int perThread = 50;
        Map<String, Integer> closed = new ConcurrentHashMap<>();
        List<Thread> started = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (IsolationScope scope = IsolationScope.open("shared_by_threads")) {
            TaskTracker tasks = TaskTracker.in(scope);
            EventCoordinator events = EventCoordinator.in(scope);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                all.add(tasks.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < perThread; i++) {
                        String key = id + "/" + i;
                        scope.onClose(key, () -> closed.merge(key, 1, Integer::sum));
                        assertThat(TaskTracker.in(scope)).isSameAs(tasks);
                        started.add(tasks.startThread("w-" + key, () -> { }));
                        events.signal("registered", key);
                    }
                }));
            }
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            all.forEach(CompletableFuture::join);
            assertThat(events.await("registered", threads * perThread)).doesNotHaveDuplicates();
        }
        assertThat(closed).hasSize(threads * perThread).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(started).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    // ---- many tests in parallel, each with its own scope, used from several threads ----

    static final Map<String, String> OWNERS = new ConcurrentHashMap<>();

    @Cleanroom
    static class ParallelScopes {
        @RepeatedTest(12)
        void ownsItsHelpers(TaskTracker tasks, EventCoordinator events, IsolationScope scope) throws Exception {
            ExecutorService pool = tasks.newFixedThreadPool("p", 3);
            List<CompletableFuture<?>> work = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                work.add(tasks.track(CompletableFuture.runAsync(() -> {
                    scope.onClose("from worker " + n, () -> OWNERS.merge(scope.name() + "#" + n, "closed", (a, b) -> a + b));
                    events.signal("done", n);
                }, pool)));
            }
            assertThat(events.await("done", 3)).containsExactlyInAnyOrder(0, 1, 2);
            for (CompletableFuture<?> f : work) {
                f.join();
            }
            assertThat(TaskTracker.in(scope)).isSameAs(tasks);
            assertThat(EventCoordinator.in(scope)).isSameAs(events);
        }
    }

    @Test
    void scopesOfParallelTestsStaySeparate() {
        OWNERS.clear();
        LeakDetectionTest.run(ParallelScopes.class, "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent")
                .testEvents().assertStatistics(s -> s.succeeded(12).failed(0));
        assertThat(OWNERS).hasSize(36).allSatisfy((k, v) -> assertThat(v).isEqualTo("closed"));
    }
}
