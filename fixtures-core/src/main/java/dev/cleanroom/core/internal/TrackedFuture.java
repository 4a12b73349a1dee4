package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.Park;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apiguardian.api.API;

/**
 * A CompletableFuture that knows whether anybody read its outcome: waiting on it, asking
 * for its result, or building a dependent stage counts as reading. Dependent stages are
 * tracked futures of the same tracker, so only the end of a chain can be reported.
 * Internal: do not use.
 *
 * @param <T> result type
 */
@API(status = INTERNAL, since = "0.1")
public final class TrackedFuture<T> extends CompletableFuture<T> {

    /** What a tracked future needs from its tracker. */
    public interface Owner {
        /** Registers a new future of the chain; returns false if the tracker is closed. */
        void adopt(TrackedFuture<?> future);

        /** The executor for async stages without an explicit executor. */
        Executor asyncExecutor();
    }

    private final Owner owner;
    private final List<StackTraceElement> creation;
    private volatile boolean observed;
    private volatile boolean awaited; // somebody waited for it, or a dependent stage carries it on
    private volatile boolean cancelledAtTeardown;
    private volatile Runnable onCancel;

    public TrackedFuture(Owner owner, List<StackTraceElement> creation) {
        this.owner = owner;
        this.creation = creation;
    }

    /** Where this future (or the start of its chain) was created. */
    public List<StackTraceElement> creation() {
        return creation;
    }

    /** Runs {@code action} when this future is cancelled (to cancel the future it mirrors). */
    public void onCancel(Runnable action) {
        this.onCancel = action;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Runnable action = onCancel;
        if (cancelled && action != null) {
            action.run();
        }
        return cancelled;
    }

    /**
     * Marks a future that teardown is about to cancel (it, or the stage it depends on): the
     * resulting CancellationException is not the test's failure.
     */
    public void endsAtTeardown() {
        cancelledAtTeardown = true;
    }

    /** Failed (not cancelled), and nobody read it. */
    public boolean unreadFailure() {
        return isDone() && super.isCompletedExceptionally() && !isCancelled() && !cancelledAtTeardown && !observed;
    }

    /**
     * Still pending and nobody waited for it: no get or join, no dependent stage (the end of
     * a chain is the one to wait for), nothing combined with it ({@code allOf}, ...).
     */
    public boolean neverAwaited() {
        return !isDone() && !awaited && getNumberOfDependents() == 0;
    }

    /** The failure, for the report; null if none. */
    public Throwable failure() {
        try {
            super.getNow(null);
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        observed = true; // a dependent stage carries the outcome on
        awaited = true;
        TrackedFuture<U> next = new TrackedFuture<>(owner, creation);
        owner.adopt(next);
        return next;
    }

    @Override
    public Executor defaultExecutor() {
        return owner.asyncExecutor();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        if (getNumberOfDependents() > 0) {
            observed = true; // someone waits on it or combined it (join, allOf, ...)
        }
        return super.completeExceptionally(ex);
    }

    // The waits park (Park) on a plain future that allOf completes with this one: get/join of a
    // CompletableFuture would make JUnit's ForkJoinPool start another test, and a dependent stage
    // of this future would be a tracked future of its own.

    @Override
    public T get() throws InterruptedException, ExecutionException {
        observed = true;
        awaited = true;
        CompletableFuture<Void> done = CompletableFuture.allOf(this);
        while (!Park.untilDone(done, Duration.ofSeconds(1))) {
            // waits as long as it takes, like get()
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        observed = true;
        awaited = true;
        if (!Park.untilDone(CompletableFuture.allOf(this), Duration.ofNanos(unit.toNanos(timeout)))) {
            throw new TimeoutException();
        }
        return super.get();
    }

    @Override
    public T join() {
        observed = true;
        awaited = true;
        Park.join(CompletableFuture.allOf(this));
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        observed = true;
        return super.getNow(valueIfAbsent);
    }

    @Override
    public boolean isCompletedExceptionally() {
        observed = true;
        return super.isCompletedExceptionally();
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return handled(super.whenComplete(action));
    }

    @Override
    public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
        return handled(super.whenCompleteAsync(action));
    }

    @Override
    public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action, Executor executor) {
        return handled(super.whenCompleteAsync(action, executor));
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return this;
    }

    @Override
    public CompletionStage<T> minimalCompletionStage() {
        observed = true;
        awaited = true;
        return super.minimalCompletionStage();
    }

    /** The action of whenComplete saw the failure: its stage need not be read again. */
    private static <T> CompletableFuture<T> handled(CompletableFuture<T> stage) {
        if (stage instanceof TrackedFuture<T> tracked) {
            tracked.observed = true;
        }
        return stage;
    }

    @Override
    public String toString() {
        return "TrackedFuture" + super.toString().substring(super.toString().indexOf('['));
    }
}
