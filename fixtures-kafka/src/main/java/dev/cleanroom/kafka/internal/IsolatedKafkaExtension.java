package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.internal.ServerWatch;
import dev.cleanroom.core.spi.FixtureExtension;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link IsolatedKafka}. The run's topic pools ({@link KafkaRun}, one
 * per topic shape for the whole run) learn the demand from the test plan, or else from each
 * class as it starts (how many topics its tests will take), and create topics ahead. Per test:
 * takes the topics, publishes the {@link KafkaHandle}, and registers the closer that hands
 * the test's topics and groups to the background deleter; clients made later close before
 * it. Nothing waits at class end: the run confirms every deletion once, when it ends.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class IsolatedKafkaExtension extends FixtureExtension<IsolatedKafka, KafkaHandle> {

    private static final System.Logger LOG = System.getLogger(IsolatedKafkaExtension.class.getName());
    private static final Duration TAKE_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration WAITED = Duration.ofMillis(1);

    public IsolatedKafkaExtension() {
        super(IsolatedKafka.class, KafkaHandle.class);
    }

    @Override
    protected void classStarts(ExtensionContext context, Optional<Declaration<IsolatedKafka>> declaration) {
        KafkaRun run = KafkaRun.of(context);
        if (run.server.isGone()) {
            return; // each test fails at once in beforeEach, with the broker's failure
        }
        if (!run.planned()) { // without a test plan, each class announces its own demand
            announce(context.getRequiredTestClass(), run);
        } else {
            declaration.ifPresent(IsolatedKafkaExtension::specs); // a bad one fails the class
        }
    }

    @Override
    protected void ready(ExtensionContext context, Declaration<IsolatedKafka> declaration) {
        KafkaRun.of(context); // waits for the broker: not isolation time
    }

    @Override
    protected KafkaHandle open(ExtensionContext context, Declaration<IsolatedKafka> declaration, TestIdentity test) {
        KafkaRun run = KafkaRun.of(context);
        specs(declaration); // validates; throws before anything is made
        run.server.checkAlive();
        return new DefaultKafkaHandle(run.server, test, Fixtures.scope(context), run.statistics);
    }

    @Override
    protected void fill(ExtensionContext context, Declaration<IsolatedKafka> declaration, KafkaHandle handle)
            throws InterruptedException {
        KafkaRun run = KafkaRun.of(context);
        DefaultKafkaHandle topics = (DefaultKafkaHandle) handle;
        TestIdentity test = TestIdentity.of(context);
        List<TopicSpec> specs = specs(declaration);
        try {
            for (TopicSpec spec : specs) {
                if (run.prefetch == 0) { // created on demand, named after the test
                    topics.createTopic(spec.logical(), spec.partitions(), spec.configs());
                } else {
                    topics.adopt(spec.logical(), take(run, spec, declaration, test), spec.partitions());
                    run.statistics.used("topics", 1);
                }
            }
        } finally {
            if (!specs.isEmpty()) {
                String described = topics.describeTopics();
                run.statistics.resources(context, "topics " + described);
                LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] " + test.readableName() + " has topics " + described);
            }
        }
    }

    @Override
    protected void release(ExtensionContext context, KafkaHandle handle) {
        KafkaRun.of(context).track(((DefaultKafkaHandle) handle).release());
    }

    @Override
    protected String releaseDescription(KafkaHandle handle, TestIdentity test) {
        return "delete the Kafka topics and consumer groups of " + test.readableName();
    }

    @Override
    protected String givesEachTest() {
        return "its own topics and consumer groups";
    }

    private static String take(KafkaRun run, TopicSpec spec, Declaration<IsolatedKafka> declaration, TestIdentity test)
            throws InterruptedException {
        long start = System.nanoTime();
        String what = "\"" + spec.logical() + "\" (partitions = " + spec.partitions() + ", configs = " + spec.configs()
                + ") declared on " + declaration.where() + ", for " + test.readableName();
        String topic;
        String doing = "taking the topic " + what;
        try {
            try (ServerWatch.Watch watch = run.server.watch(doing)) { // a hung broker ends the wait within a few probes
                topic = run.pool(spec).take(TAKE_TIMEOUT, what);
            }
        } catch (InterruptedException | RuntimeException | WaitTimeoutException e) {
            IllegalStateException gone = run.server.ifGone(e, doing);
            if (gone != null) {
                throw gone;
            }
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(WAITED) > 0) { // a ready topic is handed out in microseconds
            run.statistics.waited("topics", took);
        }
        return topic;
    }

    // ---- declarations

    /** The topics a declaration asks for; throws, naming the declaration, if one is invalid. */
    static List<TopicSpec> specs(Declaration<IsolatedKafka> declaration) {
        return TopicSpec.of(declaration.annotation().topics(), declaration.where());
    }

    static Optional<Declaration<IsolatedKafka>> classDeclaration(Class<?> testClass) {
        return FixtureExtension.classDeclaration(testClass, IsolatedKafka.class);
    }

    // ---- per class

    /** How often a test method takes its topics; any template of unknown count counts as {@code prefetch}. */
    static int invocations(Method m, int prefetch) {
        return PlannedTest.invocations(m, prefetch);
    }

    /** The topics a planned test will take: its own declaration or its class's; none if disabled or invalid. */
    static List<TopicSpec> declaredSpecs(Class<?> testClass, Method m) {
        if (new PlannedTest(testClass, m, false).disabled()) {
            return List.of();
        }
        try {
            return FixtureExtension.declaration(testClass, m, IsolatedKafka.class).map(IsolatedKafkaExtension::specs)
                    .orElse(List.of());
        } catch (IllegalArgumentException invalid) {
            return List.of(); // reported by the class or the test
        }
    }

    /** Announces how many topics of each declared shape the tests of {@code testClass} will take. */
    private static void announce(Class<?> testClass, KafkaRun run) {
        if (run.prefetch == 0) {
            return;
        }
        List<Method> tests = ReflectionSupport.findMethods(testClass,
                m -> AnnotationSupport.isAnnotated(m, Testable.class), HierarchyTraversalMode.TOP_DOWN);
        int classTests = 0;
        for (Method m : tests) {
            Optional<Declaration<IsolatedKafka>> own = FixtureExtension.methodDeclaration(m, IsolatedKafka.class);
            int invocations = invocations(m, run.prefetch);
            if (own.isEmpty()) {
                classTests += invocations;
                continue;
            }
            List<TopicSpec> specs;
            try {
                specs = specs(own.get());
            } catch (IllegalArgumentException invalid) {
                continue; // reported by that test's beforeEach, so the other tests still run
            }
            for (TopicSpec spec : specs) {
                run.pool(spec).expect(invocations);
            }
        }
        Optional<Declaration<IsolatedKafka>> declaration = classDeclaration(testClass);
        if (declaration.isPresent() && classTests > 0) {
            for (TopicSpec spec : specs(declaration.get())) { // a bad declaration fails the class here
                run.pool(spec).expect(classTests);
            }
        }
    }
}
