package dev.cleanroom.spring.internal;

import dev.cleanroom.core.spi.OwnedThreads;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The executor of the application's listener containers in a Cleanroom context: its consumer
 * threads live as long as the cached context, which Spring closes after the JUnit run, so
 * each is registered as owned ({@link OwnedThreads}) while it runs and leak checks do not
 * report it. Threads that listener code starts itself are not covered.
 */
final class OwnedListenerThreads extends SimpleAsyncTaskExecutor {

    private static final long serialVersionUID = 1L;

    OwnedListenerThreads(String threadNamePrefix) {
        super(threadNamePrefix);
    }

    @Override
    public Thread createThread(Runnable task) {
        AtomicReference<Runnable> release = new AtomicReference<>(() -> {});
        Thread thread = super.createThread(() -> {
            try {
                task.run();
            } finally {
                release.get().run();
            }
        });
        release.set(OwnedThreads.register(thread.getName())); // before it starts
        return thread;
    }
}
