package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A plain-code scope judges only the threads of its own lineage: under parallel execution a
 * neighbour test's thread, alive while the scope closes, is not the scope's leak.
 */
class PlainScopeLineageTest {

    static final long WAIT_SECONDS = 10;
    static volatile CountDownLatch scopeOpened = new CountDownLatch(1);
    static volatile CountDownLatch neighbourStarted = new CountDownLatch(1);
    static volatile CountDownLatch scopeClosed = new CountDownLatch(1);
    static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    @AfterEach
    void release() throws InterruptedException {
        Leakers.releaseAll();
    }

    /** Opens a plain scope, leaks a thread of its own, and closes while the neighbour's thread runs. */
    static class ScopeOwner {
        @Test
        void closesItsScopeWhileANeighbourThreadRuns() throws InterruptedException {
            try {
                try (IsolationScope scope = IsolationScope.open("lineage_scope")) {
                    TaskTracker.in(scope);
                    Leakers.leak("scope-own-leak");
                    scopeOpened.countDown();
                    assertThat(neighbourStarted.await(WAIT_SECONDS, TimeUnit.SECONDS))
                            .as("the neighbour class ran beside this one and started its thread").isTrue();
                }
            } catch (ScopeTeardownException e) {
                REPORTS.add(e.getMessage() + "\n" + e.failures());
            } finally {
                scopeClosed.countDown();
            }
        }
    }

    /** Another test of the same parallel run: its thread lives until the scope beside it has closed. */
    static class Neighbour {
        @Test
        void keepsAThreadAliveMeanwhile() throws InterruptedException {
            assertThat(scopeOpened.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the scope beside opened").isTrue();
            Leakers.leak("neighbour-thread");
            neighbourStarted.countDown();
            assertThat(scopeClosed.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the scope beside closed").isTrue();
        }
    }

    @Test
    void aPlainScopeReportsItsOwnLeakedThreadButNotANeighbourTestsThread() {
        scopeOpened = new CountDownLatch(1);
        neighbourStarted = new CountDownLatch(1);
        scopeClosed = new CountDownLatch(1);
        REPORTS.clear();

        EngineExecutionResults results = EngineKit.run(EngineKit.parallel(2), ScopeOwner.class, Neighbour.class);

        assertThat(results.testEvents().failed().count()).as(EngineKit.failures(results)).isZero();
        assertThat(REPORTS).as("the scope's teardown report").hasSize(1);
        assertThat(REPORTS.get(0)).contains("'scope-own-leak'").doesNotContain("neighbour-thread");
    }
}
