package dev.cleanroom.examples.support;

import dev.cleanroom.examples.workflow.Downstream;
import dev.cleanroom.examples.workflow.TaskRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A lightweight fake of the {@link Downstream}: remembers every call, fails the tasks it is
 * told to fail, and can hold a task until the test releases it (or the coordinator is
 * stopped, which interrupts it). Thread-safe; one per test.
 */
public final class FakeDownstream implements Downstream {

    private final List<TaskRequest> calls = new CopyOnWriteArrayList<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> reached = new ConcurrentHashMap<>();

    /** Every call of {@code task} fails with an IllegalStateException. */
    public FakeDownstream failing(String task) {
        failing.add(task);
        return this;
    }

    /** Calls of {@code task} wait until {@link #release} (or an interrupt). */
    public FakeDownstream holding(String task) {
        held.put(task, new CountDownLatch(1));
        reached.put(task, new CountDownLatch(1));
        return this;
    }

    /** Lets held calls of {@code task} finish. */
    public void release(String task) {
        latch(held, task).countDown();
    }

    /** Waits until a held {@code task} was called; false when it was not within the timeout. */
    public boolean awaitReached(String task, java.time.Duration timeout) throws InterruptedException {
        return latch(reached, task).await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The tasks called so far, in call order. */
    public List<String> calledTasks() {
        return calls.stream().map(TaskRequest::task).toList();
    }

    public List<TaskRequest> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String execute(TaskRequest request) throws Exception {
        calls.add(request);
        CountDownLatch hold = held.get(request.task());
        if (hold != null) {
            reached.get(request.task()).countDown();
            hold.await();
        }
        if (failing.contains(request.task())) {
            throw new IllegalStateException("fake downstream fails task " + request.task());
        }
        return "fake: " + request.task();
    }

    private static CountDownLatch latch(Map<String, CountDownLatch> latches, String task) {
        CountDownLatch latch = latches.get(task);
        if (latch == null) {
            throw new IllegalArgumentException("task '" + task + "' is not held; call holding(\"" + task + "\") first");
        }
        return latch;
    }
}
