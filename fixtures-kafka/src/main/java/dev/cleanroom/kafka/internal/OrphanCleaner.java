package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.RunId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apiguardian.api.API;

/**
 * Removes topics and consumer groups that dead runs left on a shared broker. A run is dead
 * when its run id is older than {@code cleanroom.kafka.orphan-age} AND its lease group
 * ({@link RunLease}) has no live member. Only names that start with {@code cr<runid>_}
 * are ever touched. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class OrphanCleaner {

    private OrphanCleaner() {}

    /** Removes the topics and consumer groups of runs that are over {@code minAge} and hold no lease. */
    public static void clean(Admin admin, String ownRunId, Duration minAge) throws Exception {
        long timeout = KafkaServer.REQUEST_TIMEOUT.toMillis();
        Set<String> topicNames = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
        List<String> groupNames = new ArrayList<>();
        for (GroupListing g : admin.listGroups().all().get(timeout, TimeUnit.MILLISECONDS)) {
            groupNames.add(g.groupId());
        }
        long now = System.currentTimeMillis() / 1000;
        Set<String> candidates = new HashSet<>();
        for (String name : concat(topicNames, groupNames)) {
            Names.runIdOf(name).filter(id -> !id.equals(ownRunId))
                    .filter(id -> RunId.startedAtEpochSecond(id) >= 0 && now - RunId.startedAtEpochSecond(id) > minAge.toSeconds())
                    .ifPresent(candidates::add);
        }
        Set<String> dead = new HashSet<>();
        if (!candidates.isEmpty()) {
            Map<String, String> leaseToRun = new HashMap<>();
            candidates.forEach(id -> leaseToRun.put(Names.leaseGroup(id), id));
            Map<String, org.apache.kafka.common.KafkaFuture<ConsumerGroupDescription>> leases =
                    admin.describeConsumerGroups(leaseToRun.keySet()).describedGroups();
            for (Map.Entry<String, String> e : leaseToRun.entrySet()) {
                ConsumerGroupDescription lease;
                try {
                    lease = leases.get(e.getKey()).get(timeout, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException notFound) {
                    if (!(notFound.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)) {
                        throw notFound;
                    }
                    lease = null; // no lease group: nobody holds the run's lease
                }
                boolean live = lease != null && !lease.members().isEmpty() && lease.groupState() != GroupState.DEAD;
                if (!live) {
                    dead.add(e.getValue());
                }
            }
        }
        List<String> topics = topicNames.stream().filter(n -> Names.runIdOf(n).filter(dead::contains).isPresent()).toList();
        List<String> groups = groupNames.stream().filter(n -> Names.runIdOf(n).filter(dead::contains).isPresent()).toList();
        if (!topics.isEmpty()) {
            admin.deleteTopics(topics).all().get(timeout, TimeUnit.MILLISECONDS);
            awaitUnlisted(admin, topics, timeout);
        }
        if (!groups.isEmpty()) {
            admin.deleteConsumerGroups(groups).all().get(timeout, TimeUnit.MILLISECONDS);
        }
        if (!topics.isEmpty() || !groups.isEmpty()) {
            System.err.println("[cleanroom] removed " + topics.size() + " topics and " + groups.size()
                    + " consumer groups left by dead runs " + dead);
        }
    }

    /** Deletion is asynchronous in Kafka: wait until the metadata no longer lists the topics. */
    private static void awaitUnlisted(Admin admin, List<String> topics, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            Set<String> listed = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (topics.stream().noneMatch(listed::contains)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("Kafka still lists deleted leftovers of dead runs after "
                        + timeoutMillis + " ms: " + topics.stream().filter(listed::contains).toList());
            }
            Thread.sleep(20);
        }
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
