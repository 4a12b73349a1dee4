package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Virtual threads made through the tracker are stopped and reported like platform threads
 * (Java 21+; CI runs this module's tests on Java 25 too). On Java 17 asking for one is a
 * clear error.
 */
class VirtualThreadsTest {

    static final List<Thread> STARTED = new CopyOnWriteArrayList<>();
    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    static boolean java21() {
        return Runtime.version().feature() >= 21;
    }

    @AfterEach
    void release() throws InterruptedException {
        Leakers.releaseAll();
        STARTED.clear();
        JOURNAL.clear();
    }

    @Cleanroom
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class VirtualWork {
        @Test
        @Order(1)
        void leavesVirtualWorkRunning(TaskTracker tasks) throws Exception {
            ExecutorService virtual = tasks.newVirtualThreadPerTaskExecutor("v");
            CountDownLatch started = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                virtual.submit(() -> {
                    STARTED.add(Thread.currentThread());
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        JOURNAL.add(Thread.currentThread().getName() + " interrupted");
                    }
                });
            }
            STARTED.add(tasks.startVirtualThread("lone-virtual", () -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    JOURNAL.add("lone-virtual interrupted");
                }
            }));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        @Order(4) // last: its thread quarantines later tests
        void virtualThreadThatIgnoresInterruption(TaskTracker tasks) {
            Leakers.track(tasks.startVirtualThread("stubborn-virtual", Leakers.stubborn()));
        }

        @Test
        @Order(2)
        void virtualThreadThrows(TaskTracker tasks) throws InterruptedException {
            tasks.startVirtualThread("throwing-virtual", () -> {
                throw new IllegalStateException("boom in a virtual thread");
            }).join(10_000);
        }

        @Test
        @Order(3)
        void virtualTaskFailsUnread(TaskTracker tasks) throws InterruptedException {
            Future<?> forgotten = tasks.newVirtualThreadPerTaskExecutor("vt").submit(() -> {
                throw new IllegalStateException("virtual task failed");
            });
            Waits.until("the task to fail", forgotten::isDone);
        }
    }

    @Test
    void trackedVirtualThreadsAreStoppedAndReportedLikeOthers() {
        assumeTrue(java21(), "virtual threads need Java 21+");
        LeakDetectionTest.run(VirtualWork.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("leavesVirtualWorkRunning"), finishedSuccessfully()))
                .haveExactly(1, event(test("virtualThreadThatIgnoresInterruption"), finishedWithFailure(
                        instanceOf(LeakException.class), message(m -> m.contains("TASK: thread 'stubborn-virtual' (")
                                && m.contains(", virtual) survived interruption")
                                && m.contains("VirtualWork.virtualThreadThatIgnoresInterruption")))))
                .haveExactly(1, event(test("virtualThreadThrows"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.contains("UNCAUGHT_EXCEPTION: thread 'throwing-virtual' died from an uncaught exception")
                                && m.contains("boom in a virtual thread")))))
                .haveExactly(1, event(test("virtualTaskFailsUnread"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.contains("a task given to tracked executor 'vt' failed")
                                && m.contains("virtual task failed")))));
        assertThat(STARTED).hasSize(3).allSatisfy(t -> assertThat(t.isAlive()).as(t.getName()).isFalse());
        assertThat(JOURNAL).containsExactlyInAnyOrder("v-1 interrupted", "v-2 interrupted", "lone-virtual interrupted");
    }

    @Test
    void beforeJava21AskingForAVirtualThreadSaysWhatIsNeeded() {
        assumeTrue(!java21(), "this JVM has virtual threads");
        IsolationScope scope = IsolationScope.open("virtual_on_17");
        try {
            TaskTracker tasks = TaskTracker.in(scope);
            assertThatThrownBy(() -> tasks.newVirtualThreadPerTaskExecutor("v"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Virtual threads need Java 21 or newer; this JVM is Java 17")
                    .hasMessageContaining("newFixedThreadPool");
            assertThatThrownBy(() -> tasks.startVirtualThread("v", () -> { }))
                    .isInstanceOf(UnsupportedOperationException.class);
        } finally {
            scope.close();
        }
    }
}
