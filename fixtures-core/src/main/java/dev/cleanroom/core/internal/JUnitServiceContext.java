package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.CircuitBreakers;
import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.ServiceContext;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** The ServiceContext of a test run by JUnit. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class JUnitServiceContext implements ServiceContext {

    private final ExtensionContext context;

    public JUnitServiceContext(ExtensionContext context) {
        this.context = context;
    }

    @Override
    public <H> Optional<H> fixture(Class<H> handleType) {
        return Fixtures.provided(context, handleType);
    }

    @Override
    public <D> Optional<D> fromTest(Class<D> type) {
        List<Object> instances = context.getTestInstances().map(i -> i.getAllInstances()).orElse(List.of());
        List<String> fields = new ArrayList<>();
        Object value = null;
        for (Object instance : instances) {
            for (Field field : ReflectionSupport.findFields(instance.getClass(),
                    f -> f.getType() == type && !Modifier.isStatic(f.getModifiers()), HierarchyTraversalMode.TOP_DOWN)) {
                Object v = ReflectionSupport.tryToReadFieldValue(field, instance).toOptional().orElse(null);
                if (v != null) {
                    fields.add(field.getDeclaringClass().getSimpleName() + "." + field.getName());
                    value = v;
                }
            }
        }
        if (fields.size() > 1) {
            throw new IllegalStateException("Several fields of the test supply a " + type.getSimpleName() + ": "
                    + String.join(", ", fields) + ". Keep one, or build the dependency in the factory.");
        }
        return Optional.ofNullable(type.cast(value));
    }

    @Override
    public TaskTracker tracker() {
        return HelperLifecycle.tracker(context);
    }

    @Override
    public EventCoordinator coordinator() {
        return HelperLifecycle.coordinator(context);
    }

    @Override
    public CircuitBreakers circuitBreakers() {
        return HelperLifecycle.circuitBreakers(context);
    }

    @Override
    public Configuration configuration() {
        return Fixtures.configuration(context);
    }

    @Override
    public TestIdentity identity() {
        return TestIdentity.of(context);
    }

    @Override
    public IsolationScope scope() {
        return Fixtures.scope(context);
    }
}
