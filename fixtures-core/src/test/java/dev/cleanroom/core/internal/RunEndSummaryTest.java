package dev.cleanroom.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.Cleanroom;
import dev.cleanroom.testkit.EngineKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The run summary lists, with names and stacks, the threads the run's end check found that no test owns. */
class RunEndSummaryTest {

    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static volatile Thread leaked;

    @Cleanroom
    static class LeaksInParallel {
        @Test
        void leaks() {
            leaked = new Thread(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "owned-by-nobody");
            leaked.setDaemon(true);
            leaked.start();
        }
    }

    @Test
    void theSummaryListsWhatTheRunEndCheckFound() throws InterruptedException {
        RunLeakCheck.drainSummary();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            EngineKit.run(LeaksInParallel.class, "cleanroom.leaks.linger", "50ms",
                    "junit.jupiter.execution.parallel.enabled", "true");
            new SummaryListener(new PrintStream(out, true, StandardCharsets.UTF_8)).testPlanExecutionFinished(null);
        } finally {
            RELEASE.countDown();
            leaked.join(10_000);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("[cleanroom] run end: 1 leak that no test could be blamed for:")
                .contains("THREAD: thread 'owned-by-nobody' (WAITING, daemon) was started during the run and is still "
                        + "alive at its end; no test owns it")
                .contains("thread stack:").contains("RunEndSummaryTest$LeaksInParallel.lambda$leaks");
    }
}
