package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * The helpers (tracker, coordinator, breakers) that belong to one scope, so that the test,
 * its services and plain code all get the same instance. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ScopeAttachments {

    private static final Map<IsolationScope, Map<Class<?>, Object>> ATTACHED =
            Collections.synchronizedMap(new WeakHashMap<>()); // IsolationScope has identity equality

    private ScopeAttachments() {}

    /**
     * The helper of {@code type} attached to {@code scope}, created by {@code factory} on
     * first use. Creation runs under a per-scope lock, so concurrent callers get one instance.
     */
    public static <T> T computeIfAbsent(IsolationScope scope, Class<T> type, Supplier<T> factory) {
        Map<Class<?>, Object> helpers = ATTACHED.computeIfAbsent(scope, s -> new HashMap<>());
        synchronized (helpers) {
            Object existing = helpers.get(type);
            if (existing != null) {
                return type.cast(existing);
            }
            T created = factory.get();
            helpers.put(type, created);
            return created;
        }
    }

    /** The helper of {@code type} attached to {@code scope}, if one was created. */
    public static <T> Optional<T> find(IsolationScope scope, Class<T> type) {
        Map<Class<?>, Object> helpers = ATTACHED.get(scope);
        if (helpers == null) {
            return Optional.empty();
        }
        synchronized (helpers) {
            return Optional.ofNullable(type.cast(helpers.get(type)));
        }
    }
}
