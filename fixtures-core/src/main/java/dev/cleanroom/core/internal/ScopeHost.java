package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Attached to a scope that the JUnit extension opened: the run's helper settings, and the
 * scope it sits in (a test's class scope; an outer class's scope for a {@code @Nested}
 * class), so that helpers see what was registered further out. The extension diffs threads
 * itself, so a tracker of such a scope does not. Plain scopes have none. Internal: do not use.
 *
 * @param settings the run's helper settings
 * @param enclosing the scope this one sits in, or null
 */
@API(status = INTERNAL, since = "0.1")
public record ScopeHost(HelperSettings settings, IsolationScope enclosing) {

    /** The host of {@code scope}, if the JUnit extension opened it. */
    public static Optional<ScopeHost> of(IsolationScope scope) {
        return scope.attachment(ScopeHost.class);
    }

    /** The enclosing scope, if any. */
    public Optional<IsolationScope> enclosingScope() {
        return Optional.ofNullable(enclosing);
    }
}
