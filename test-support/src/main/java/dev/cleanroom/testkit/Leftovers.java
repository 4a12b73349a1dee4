package dev.cleanroom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a piece of code left behind in this JVM, for tests that assert a failed (or finished)
 * construction leaves nothing: threads by name prefix, child processes, files in the temporary
 * directory by name prefix, and (when asked) this JVM's Testcontainers containers. Take a
 * {@link #snapshot()} before, then {@link Snapshot#left()} after.
 *
 * <pre>{@code
 * Leftovers.Snapshot before = Leftovers.threads("cleanroom-", "kafka-").tempFiles("cleanroom-kafka-" + run).snapshot();
 * ... construction that fails ...
 * assertThat(before.left()).as(step).isEmpty();
 * }</pre>
 */
public final class Leftovers {

    private static final long SETTLE_NANOS = 10_000_000_000L; // threads and processes that end on their own

    private final List<String> threadPrefixes;
    private final List<String> tempPrefixes;
    private final boolean containers;

    private Leftovers(List<String> threadPrefixes, List<String> tempPrefixes, boolean containers) {
        this.threadPrefixes = threadPrefixes;
        this.tempPrefixes = tempPrefixes;
        this.containers = containers;
    }

    /** Watches threads whose names start with one of {@code prefixes}, and this JVM's child processes. */
    public static Leftovers threads(String... prefixes) {
        return new Leftovers(List.of(prefixes), List.of(), false);
    }

    /** Also watches entries of {@code java.io.tmpdir} whose names start with one of {@code prefixes}. */
    public Leftovers tempFiles(String... prefixes) {
        return new Leftovers(threadPrefixes, List.of(prefixes), containers);
    }

    /** Also watches this JVM's Testcontainers containers (needs Docker). */
    public Leftovers containers() {
        return new Leftovers(threadPrefixes, tempPrefixes, true);
    }

    /** What is there now. */
    public Snapshot snapshot() {
        return new Snapshot(this, threads(), processes(), temp(), containers ? containerIds() : Set.of());
    }

    /** What was there when it was taken; {@link #left()} names what came since. */
    public static final class Snapshot {
        private final Leftovers watched;
        private final Set<Thread> threads;
        private final Set<Long> processes;
        private final Set<Path> temp;
        private final Set<String> containers;

        private Snapshot(Leftovers watched, Set<Thread> threads, Set<Long> processes, Set<Path> temp,
                         Set<String> containers) {
            this.watched = watched;
            this.threads = threads;
            this.processes = processes;
            this.temp = temp;
            this.containers = containers;
        }

        /**
         * What appeared since the snapshot and is still there, one line each ("thread cleanroom-x",
         * "process 123 /usr/bin/java ...", "file /tmp/...", "container abc123 image status"), after
         * waiting up to 10 s for it to go away; empty when nothing is left.
         */
        public List<String> left() throws InterruptedException {
            long deadline = System.nanoTime() + SETTLE_NANOS;
            while (true) {
                List<String> left = new ArrayList<>();
                watched.threads().stream().filter(t -> !threads.contains(t)).map(t -> "thread " + t.getName()).sorted()
                        .forEach(left::add);
                watched.processes().stream().filter(p -> !processes.contains(p)).sorted()
                        .map(p -> "process " + p + " " + ProcessHandle.of(p).flatMap(h -> h.info().commandLine()).orElse(""))
                        .forEach(left::add);
                watched.temp().stream().filter(p -> !temp.contains(p)).sorted().map(p -> "file " + p).forEach(left::add);
                if (watched.containers) {
                    Containers.ofThisJvm().stream().filter(c -> !containers.contains(c.substring(0, 12))).sorted()
                            .map(c -> "container " + c).forEach(left::add);
                }
                if (left.isEmpty() || System.nanoTime() > deadline) {
                    return left;
                }
                Thread.sleep(50);
            }
        }
    }

    private Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> threadPrefixes.stream().anyMatch(t.getName()::startsWith)).collect(Collectors.toSet());
    }

    private Set<Long> processes() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private Set<Path> temp() {
        if (tempPrefixes.isEmpty()) {
            return Set.of();
        }
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> tempPrefixes.stream().anyMatch(p.getFileName().toString()::startsWith))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> containerIds() {
        return Containers.ofThisJvm().stream().map(c -> c.substring(0, 12)).collect(Collectors.toSet());
    }
}
