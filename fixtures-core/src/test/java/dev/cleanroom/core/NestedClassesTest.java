package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @Nested} classes and method-level registration: what an outer class declares
 * applies inside, and whatever a registration opens is closed by the extension itself (JUnit's
 * closing of store values is switched off in these runs, so it cannot stand in).
 */
class NestedClassesTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();
    static final String NO_STORE_CLOSING = "junit.jupiter.extensions.store.close.autocloseable.enabled";

    @BeforeEach
    void clear() {
        JOURNAL.clear();
        BREAKER.open = false;
    }

    static final CircuitBreakersTest.HomeMadeBreaker BREAKER = new CircuitBreakersTest.HomeMadeBreaker();

    /** A service whose stop is journaled. */
    public static final class Recorder {
        final String name;

        Recorder(String name) {
            this.name = name;
        }

        public void stop() {
            JOURNAL.add("stopped " + name);
        }
    }

    public static final class RecorderFactory implements ServiceFactory<Recorder> {
        @Override
        public Class<Recorder> serviceType() {
            return Recorder.class;
        }

        @Override
        public Recorder create(ServiceContext context) {
            return new Recorder(context.identity().methodName());
        }
    }

    // ---- fixtures ----

    @Cleanroom
    @IsolatedServices(RecorderFactory.class)
    static class OuterDeclares {
        @BeforeAll
        static void register(CircuitBreakers breakers) {
            breakers.register(BREAKER);
        }

        @Nested
        @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
        class Inner {
            @Test
            @Order(1)
            void opensTheOuterBreaker(Recorder recorder, TaskTracker tasks) {
                JOURNAL.add("recorder of " + recorder.name);
                tasks.startThread("inner-worker", () -> { });
                BREAKER.open = true;
            }

            @Test
            @Order(2)
            void findsItClosed(CircuitBreakers breakers) {
                JOURNAL.add("outer breaker closed: " + BREAKER.isClosed() + ", seen: " + breakers.all().contains(BREAKER));
                breakers.assertAllClosed();
            }

            @Nested
            class Deeper {
                @Test
                void findsItClosedTwoLevelsDown(CircuitBreakers breakers) {
                    JOURNAL.add("deeper: outer breaker closed: " + BREAKER.isClosed());
                    breakers.assertAllClosed();
                }
            }
        }
    }

    /** Takes the class scope as a fixture extension would, and journals when it closes. */
    static final class ClassScopeProbe implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            Fixtures.classScope(context).onClose("probe", () -> JOURNAL.add("class-level scope closed"));
        }
    }

    static class MethodLevel {
        @Test
        @Cleanroom
        @ExtendWith(ClassScopeProbe.class)
        void cleanroomOnTheMethod(CircuitBreakers breakers, IsolationScope scope) {
            breakers.register(BREAKER);
            BREAKER.open = true;
            scope.onClose("own", () -> JOURNAL.add("own resource closed"));
        }

        @Test
        @IsolatedServices(RecorderFactory.class)
        void servicesOnTheMethod(Recorder recorder) {
            JOURNAL.add("recorder of " + recorder.name);
        }

        @Test
        void withoutAnything() {
            JOURNAL.add("plain test");
        }
    }

    // ---- tests ----

    @Test
    void whatTheOuterClassDeclaresAppliesInsideAndItsBreakersAreResetForNestedTests() {
        EngineKit.run(OuterDeclares.class, NO_STORE_CLOSING, "false").testEvents()
                .assertStatistics(s -> s.succeeded(3).failed(0));
        assertThat(JOURNAL).containsExactly(
                "recorder of opensTheOuterBreaker", "stopped opensTheOuterBreaker",
                "outer breaker closed: true, seen: true",
                "deeper: outer breaker closed: true");
    }

    @Test
    void aMethodLevelRegistrationClosesEverythingItOpens() {
        EngineKit.run(MethodLevel.class, NO_STORE_CLOSING, "false").testEvents()
                .assertStatistics(s -> s.succeeded(3).failed(0));
        assertThat(JOURNAL).containsExactlyInAnyOrder("own resource closed", "class-level scope closed",
                "recorder of servicesOnTheMethod", "stopped servicesOnTheMethod", "plain test");
        assertThat(JOURNAL.indexOf("recorder of servicesOnTheMethod"))
                .isLessThan(JOURNAL.indexOf("stopped servicesOnTheMethod"));
        assertThat(BREAKER.isClosed()).as("a test's registration is reset when the test ends").isTrue();
    }
}
