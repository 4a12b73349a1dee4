package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** Service factories: fresh instance per test, started, stopped in the right place, clear failures. */
class IsolatedServicesTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        JOURNAL.clear();
    }

    /** What a fixture (say @IsolatedKafka) would publish for each test. */
    record TopicHandle(String topic) {}

    /** A stand-in fixture extension: publishes a per-test handle and registers its own closer. */
    static final class TopicFixture implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            String topic = "topic-" + TestIdentity.of(context).sequenceToken();
            Fixtures.provide(context, TopicHandle.class, new TopicHandle(topic));
            Fixtures.scope(context).onClose("delete " + topic, () -> JOURNAL.add("topic deleted"));
        }
    }

    /** The service under test: consumes from its topic on a tracked executor, signals what it handled. */
    public static final class Greeter {
        final String topic;
        final TaskTracker tasks;
        final EventCoordinator events;
        ExecutorService worker;

        Greeter(String topic, TaskTracker tasks, EventCoordinator events) {
            this.topic = topic;
            this.tasks = tasks;
            this.events = events;
        }

        public void start() {
            worker = tasks.newSingleThreadExecutor("greeter");
            JOURNAL.add("started on " + topic.replaceAll("[0-9a-z]+$", "N"));
        }

        public void greet(String name) {
            worker.execute(events.signalAfter("greeted", () -> JOURNAL.add("hello " + name)));
        }

        public void stop() {
            JOURNAL.add("greeter stopped (worker running: " + !worker.isShutdown() + ")");
        }
    }

    public static final class GreeterFactory implements ServiceFactory<Greeter> {
        @Override
        public Class<Greeter> serviceType() {
            return Greeter.class;
        }

        @Override
        public Greeter create(ServiceContext context) {
            TopicHandle topic = context.requireFixture(TopicHandle.class);
            return new Greeter(topic.topic(), context.tracker(), context.coordinator());
        }
    }

    static final class Unstartable {
        public void start() {
            throw new IllegalStateException("port 8080 in use");
        }

        public void close() {
            JOURNAL.add("unstartable closed");
        }
    }

    static final class UnstartableFactory implements ServiceFactory<Unstartable> {
        @Override
        public Class<Unstartable> serviceType() {
            return Unstartable.class;
        }

        @Override
        public Unstartable create(ServiceContext context) {
            return new Unstartable();
        }
    }

    static final class Uncreatable {}

    static final class UncreatableFactory implements ServiceFactory<Uncreatable> {
        @Override
        public Class<Uncreatable> serviceType() {
            return Uncreatable.class;
        }

        @Override
        public Uncreatable create(ServiceContext context) {
            throw new IllegalArgumentException("no broker address configured");
        }
    }

    // ---- fixtures ----

    @ExtendWith(TopicFixture.class)
    @IsolatedServices(GreeterFactory.class)
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class UsesGreeter {
        static final List<Object> SEEN = new CopyOnWriteArrayList<>();

        @Test
        void first(Greeter greeter, EventCoordinator events, TaskTracker tasks) {
            greeter.greet("ada");
            assertThat(events.await("greeted")).hasSize(1);
            assertThat(greeter.tasks).isSameAs(tasks);
            SEEN.add(greeter);
        }

        @Test
        void second(Greeter greeter) {
            SEEN.add(greeter);
        }
    }

    @IsolatedServices({UnstartableFactory.class, UncreatableFactory.class})
    static class BrokenFactories {
        @Test
        void needsUnstartable(Unstartable service) {
        }

        @Test
        void needsUncreatable(Uncreatable service) {
        }
    }

    @IsolatedServices(GreeterFactory.class)
    static class MissingFixture {
        @Test
        void needsGreeter(Greeter greeter) {
        }
    }

    @Cleanroom
    static class FromServiceLoader {
        @Test
        void getsClock(LoadedService service) {
            JOURNAL.add("loaded " + service.getClass().getSimpleName());
        }
    }

    // ---- tests ----

    @Test
    void eachTestGetsAFreshStartedInstanceStoppedBeforeWhatWasSetUpBeforeIt() {
        UsesGreeter.SEEN.clear();
        EngineKit.run(UsesGreeter.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(UsesGreeter.SEEN).hasSize(2).doesNotHaveDuplicates();
        // per test: started, (greeted), then teardown in reverse: the service stops first (its worker
        // still running: the tracker, created with it, stops the worker right after), then the topic
        assertThat(JOURNAL).containsExactly(
                "started on topic-N", "hello ada", "greeter stopped (worker running: true)", "topic deleted",
                "started on topic-N", "greeter stopped (worker running: true)", "topic deleted");
    }

    @Test
    void aFactoryThatFailsNamesTheServiceTheFactoryAndTheCause() {
        EngineKit.run(BrokenFactories.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("needsUnstartable"), finishedWithFailure(
                        instanceOf(ParameterResolutionException.class),
                        message(m -> m.startsWith("isolated service Unstartable (factory "
                                + UnstartableFactory.class.getName() + ") was created but failed to start for "
                                + "BrokenFactories.needsUnstartable: java.lang.IllegalStateException: port 8080 in use "
                                + "(it was stopped again)")),
                        cause(message("port 8080 in use")))))
                .haveExactly(1, event(test("needsUncreatable"), finishedWithFailure(
                        instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("isolated service Uncreatable (factory ")
                                && m.contains("could not be created for BrokenFactories.needsUncreatable: "
                                + "java.lang.IllegalArgumentException: no broker address configured")))));
        assertThat(JOURNAL).containsExactly("unstartable closed");
    }

    @Test
    void aMissingFixtureSaysWhichAnnotationProvidesIt() {
        EngineKit.run(MissingFixture.class).testEvents().assertThatEvents().haveExactly(1, event(test("needsGreeter"),
                finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("No TopicHandle was published for MissingFixture.needsGreeter")
                                && m.contains("Annotate the test class with the fixture that provides it")))));
    }

    @Test
    void factoriesAreFoundThroughServiceLoader() {
        EngineKit.run(FromServiceLoader.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(JOURNAL).containsExactly("loaded LoadedService", "loaded service stopped");
    }
}
