package dev.cleanroom.spring.internal;

import dev.cleanroom.core.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The listener consumers of a context and the topics each has assigned. A listener whose
 * consumer is the only one of its group (concurrency 1, the default) is assigned the running
 * tests' topics directly, with no group rebalance, so a test can wait until every listener
 * that reads one of its topics has it ({@link #awaitAssigned}) and then start its body. A
 * group with several consumers (concurrency above 1) keeps Kafka's group assignment, since
 * they must share the partitions.
 */
final class ListenerAssignments {

    /** How long a group must have had one consumer before that consumer assigns itself: a concurrent container starts all of its consumers within this. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, List<Member>> groups = new HashMap<>(); // guarded by lock

    /** One listener consumer. */
    final class Member {
        final String group;
        final long joinedNanos = System.nanoTime();
        Set<String> assigned = Set.of(); // guarded by lock

        private Member(String group) {
            this.group = group;
        }

        /** True if this consumer may assign itself its topics: the only one of its group, for {@link #SETTLE} already. */
        boolean alone() {
            lock.lock();
            try {
                List<Member> members = groups.getOrDefault(group, List.of());
                return members.size() == 1 && System.nanoTime() - joinedNanos >= SETTLE.toNanos();
            } finally {
                lock.unlock();
            }
        }

        /** The topics this consumer has assigned now (empty while it follows the group's assignment). */
        void assigned(Set<String> topics) {
            lock.lock();
            try {
                assigned = Set.copyOf(topics);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void leave() {
            lock.lock();
            try {
                List<Member> members = groups.get(group);
                if (members != null) {
                    members.remove(this);
                    if (members.isEmpty()) {
                        groups.remove(group);
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A consumer of {@code group} starts following the running tests' topics. */
    Member join(String group) {
        lock.lock();
        try {
            Member member = new Member(group);
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(member);
            changed.signalAll();
            return member;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (parked: no JUnit worker is added meanwhile) until, for each group in
     * {@code wanted} whose only consumer assigns itself, that consumer has all of the group's
     * wanted topics assigned. Groups without a consumer (a stopped container) or with several
     * are not waited for.
     */
    void awaitAssigned(Map<String, Set<String>> wanted, Duration timeout, String test) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Map<String, Set<String>> missing = missing(wanted);
                if (missing.isEmpty()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WaitTimeoutException("the @KafkaListener consumers of " + test + "'s topics to have them"
                            + " assigned before the test starts", timeout, "still missing, by consumer group: " + missing,
                            "A listener consumer polls at least every 200 ms; a longer wait means its thread is busy"
                                    + " or stuck (look at the thread dump of the 'C-' listener threads).");
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Set<String>> missing(Map<String, Set<String>> wanted) {
        Map<String, Set<String>> missing = new TreeMap<>();
        wanted.forEach((group, topics) -> {
            List<Member> members = groups.getOrDefault(group, List.of());
            if (members.size() != 1 || topics.isEmpty()) {
                return;
            }
            Member only = members.get(0); // (if it joined less than SETTLE ago, it assigns itself once settled)
            if (!only.assigned.containsAll(topics)) {
                Set<String> absent = new java.util.TreeSet<>(topics);
                absent.removeAll(only.assigned);
                missing.put(group, absent);
            }
        });
        return missing;
    }
}
