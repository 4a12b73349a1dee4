package dev.cleanroom.core;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/** An executor that runs tasks inline and writes each lifecycle call into a journal. */
final class JournalingExecutor extends AbstractExecutorService {

    private final List<String> journal;
    private volatile boolean shutdown;
    private volatile boolean terminated;

    JournalingExecutor(List<String> journal) {
        this.journal = journal;
    }

    @Override
    public void shutdown() {
        journal.add("shutdown");
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        journal.add("shutdownNow");
        shutdown = true;
        terminated = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return terminated;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        journal.add("awaitTermination");
        return terminated; // pretends a task never ends until shutdownNow
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }
}
