package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/** The settings of fixtures-core. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CoreSettings {

    private CoreSettings() {}

    /** Deadline for each closer of a test or class scope. */
    public static final Setting<Duration> CLOSER_DEADLINE = Setting.duration("cleanroom.teardown.deadline",
            Duration.ofSeconds(30), "Deadline for each closer when a test's resources are torn down.");

    /** How long to wait for a Docker engine to answer before deciding there is none. */
    public static final Setting<Duration> DOCKER_PROBE_TIMEOUT = Setting.duration("cleanroom.docker.probe-timeout",
            Duration.ofSeconds(20), "How long engine=auto waits for a Docker engine to answer (once per JVM).");

    /** How long a shared server may take to start. */
    public static final Setting<Duration> SERVER_START_TIMEOUT = Setting.duration("cleanroom.server.start-timeout",
            Duration.ofMinutes(3), "How long a test waits for a shared server (Kafka, Postgres) to start.");

    /** What to do about leaked threads, tasks and futures, and exceptions lost in threads and tasks. */
    public static final Setting<LeakPolicy> LEAKS = Setting.oneOf("cleanroom.leaks", LeakPolicy.class,
            LeakPolicy.FAIL, "What a leaked thread, task or unread failed future, or an exception lost in a thread "
                    + "or an executor task, does to the test (and, for what no test can be blamed for, to the run).");

    /** Extra thread names (a Java regex, matched against the whole name) that leak detection ignores. */
    public static final Setting<String> LEAKS_IGNORE_THREADS = Setting.text("cleanroom.leaks.ignore-threads", null,
            "Regex of thread names that leak detection ignores, e.g. my-metrics-.*|grpc-default-executor-.*");

    /**
     * What a tracked future still pending at the end of its test, that nobody waited for,
     * does: {@code fail}, {@code warn} or {@code off}; never more than {@link #LEAKS} allows.
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static final Setting<LeakPolicy> LEAKS_UNAWAITED = Setting.oneOf("cleanroom.leaks.unawaited",
            LeakPolicy.class, LeakPolicy.FAIL, "What a tracked future that was still pending when its test ended, "
                    + "and that nobody waited for (work started, never awaited), does to the test; at most what "
                    + "cleanroom.leaks does.");

    /** How long leak detection waits for threads that are still stopping after teardown. */
    public static final Setting<Duration> LEAKS_LINGER = Setting.duration("cleanroom.leaks.linger",
            Duration.ofMillis(250), "How long a thread may take to die after teardown before it is reported as leaked.");

    /** Deadline of each stage (await, join) when a TaskTracker stops its work. */
    public static final Setting<Duration> TASKS_DEADLINE = Setting.duration("cleanroom.tasks.deadline",
            Duration.ofSeconds(5), "Deadline of each TaskTracker teardown stage (await termination, join after interrupt).");

    /** Default timeout of EventCoordinator.await. */
    public static final Setting<Duration> BARRIER_TIMEOUT = Setting.duration("cleanroom.barrier.timeout",
            Duration.ofSeconds(10), "How long EventCoordinator.await waits when no timeout is given.");

    /** Every core setting. */
    public static final List<Setting<?>> ALL = List.of(CLOSER_DEADLINE, DOCKER_PROBE_TIMEOUT, SERVER_START_TIMEOUT, LEAKS,
            LEAKS_UNAWAITED, LEAKS_IGNORE_THREADS, LEAKS_LINGER, TASKS_DEADLINE, BARRIER_TIMEOUT);
}
