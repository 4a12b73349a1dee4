package dev.cleanroom.spring.internal;

import dev.cleanroom.core.spi.OwnedThreads;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Threads of the application's listener containers in a Cleanroom context live as long as
 * the cached context, which Spring closes after the JUnit run: each consumer thread is
 * registered as owned ({@link OwnedThreads}) while it runs, so leak checks do not report it.
 * Threads that listener code starts itself are not covered.
 */
final class OwnedListenerThreads {

    private OwnedListenerThreads() {}

    /** The consumer threads' executor. */
    static SimpleAsyncTaskExecutor executor(String threadNamePrefix) {
        return new SimpleAsyncTaskExecutor(threadNamePrefix) {
            private static final long serialVersionUID = 1L;

            @Override
            public Thread createThread(Runnable task) {
                return owned(task, super::createThread);
            }
        };
    }

    /**
     * The containers' monitor scheduler (Spring Kafka would otherwise make one per container),
     * Cleanroom's own: its threads are named {@code cleanroom-*}; the caller shuts it down.
     */
    static ThreadPoolTaskScheduler monitorScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("cleanroom-spring-listener-monitor-");
        scheduler.initialize();
        return scheduler;
    }

    private static Thread owned(Runnable task, Function<Runnable, Thread> create) {
        AtomicReference<Runnable> release = new AtomicReference<>(() -> {});
        Thread thread = create.apply(() -> {
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
