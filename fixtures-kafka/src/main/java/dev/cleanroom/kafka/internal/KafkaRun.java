package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What fixtures-kafka keeps for one JUnit run (in its root store): one {@link TopicPool}
 * per topic shape, shared by every test class, and the deletions the run queued. When the
 * run's test plan is known, the demand of every planned test is announced at once, so
 * topics are created ahead of the first test and no more than the plan needs. When the
 * run ends, and before the broker stops (the server's lease is older in the same store,
 * so it is closed after this), the untaken topics are queued for deletion and every
 * deletion of the run is confirmed once. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class KafkaRun {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaRun.class);
    static final Duration CONFIRM_TIMEOUT = Duration.ofMinutes(2);
    /** Bounds the whole confirmation (the pools' closing, then the deletions), each part bounded by CONFIRM_TIMEOUT. */
    private static final Duration CONFIRM_DEADLINE = Duration.ofMinutes(10);

    final KafkaServer server;
    final RunStatistics statistics;
    final int prefetch;
    private final Map<TopicSpec.Shape, TopicPool> pools = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> deletions = new ArrayList<>(); // guarded by deletions
    private volatile boolean planned;

    private KafkaRun(KafkaServer server, RunStatistics statistics, int prefetch) {
        this.server = server;
        this.statistics = statistics;
        this.prefetch = prefetch;
    }

    /** The run of {@code context}; starts the broker (or waits for it) first. */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    public static KafkaRun of(ExtensionContext context) {
        // the server (and its lease in the root store) first: closed after this run's confirmation
        KafkaServer server = Fixtures.sharedServer(context, KafkaServerProvider.class);
        RunStatistics statistics = RunStatistics.of(context);
        int prefetch = Fixtures.configuration(context).get(KafkaSettings.PREFETCH);
        Optional<List<PlannedTest>> plan = Fixtures.plannedTests(context);
        IsolationScope runScope = Fixtures.runScope(context); // opened after the server's hold: closes before it
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KafkaRun.class, k -> {
            KafkaRun run = new KafkaRun(server, statistics, prefetch);
            plan.ifPresent(run::announce);
            runScope.onClose("confirm the deletion of this run's Kafka topics and consumer groups", CONFIRM_DEADLINE, run::close);
            return run;
        }, KafkaRun.class);
    }

    /** Announces the topics every planned test will take, so the pools create them ahead of the first test. */
    private void announce(List<PlannedTest> plan) {
        if (prefetch == 0) {
            return;
        }
        Map<TopicSpec, Long> demand = new LinkedHashMap<>();
        for (PlannedTest test : plan) {
            IsolatedKafkaExtension.declaredSpecs(test.testClass(), test.method()).forEach(spec ->
                    demand.merge(spec, (long) IsolatedKafkaExtension.invocations(test.method(), prefetch), Long::sum));
        }
        demand.forEach((spec, takes) -> pool(spec).expect(takes));
        planned = true;
    }

    /** The run's pool of topics shaped like {@code spec}. */
    TopicPool pool(TopicSpec spec) {
        return pools.computeIfAbsent(spec.shape(), shape -> new TopicPool(server, shape, prefetch, statistics, this::track));
    }

    /** Whether the run's whole demand was announced from its test plan (then classes announce nothing). */
    boolean planned() {
        return planned;
    }

    /** Remembers a deletion to confirm when the run ends. */
    void track(CompletableFuture<Void> deletion) {
        synchronized (deletions) {
            deletions.removeIf(d -> d.isDone() && !d.isCompletedExceptionally()); // confirmed: no second look
            deletions.add(deletion);
        }
    }

    /** Confirms every deletion of the run (closed with the run's scope). */
    void close() throws Exception {
        if (server.isGone()) {
            return; // a dead broker deletes nothing; its failure was reported on the tests
        }
        for (TopicPool pool : pools.values()) {
            pool.close(CONFIRM_TIMEOUT); // untaken topics go to the deleter (tracked)
        }
        List<CompletableFuture<Void>> all;
        synchronized (deletions) {
            all = new ArrayList<>(deletions);
        }
        server.deleter().await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), CONFIRM_TIMEOUT,
                "the deletion of the topics and consumer groups of this run (" + all.size() + " tests' and pools' requests)");
    }
}
