package dev.cleanroom.spring.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Resettable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ApplicationContext;

/**
 * The state a cached application context carries from one test into the next: the caches
 * of its {@link CacheManager}s, and its beans that implement {@link Resettable}. One
 * {@link Resettable#group} per context, each cache and bean a member (reset, and named when
 * it fails, on its own). Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SpringStateResets {

    private SpringStateResets() {}

    /** Every cache and every {@code Resettable} bean of {@code context}, looked up at each reset. */
    public static Resettable of(ApplicationContext context) {
        return Resettable.group(context, () -> members(context));
    }

    private static List<Resettable> members(ApplicationContext context) {
        List<Resettable> members = new ArrayList<>();
        // singletons only, no eager init: a lazy bean nobody used holds no state
        for (Map.Entry<String, CacheManager> manager : context.getBeansOfType(CacheManager.class, false, false)
                .entrySet()) {
            for (String name : manager.getValue().getCacheNames()) {
                Cache cache = manager.getValue().getCache(name);
                if (cache != null) {
                    members.add(Resettable.of("cache '" + name + "' of CacheManager bean '" + manager.getKey() + "'",
                            cache::clear));
                }
            }
        }
        for (Map.Entry<String, Resettable> bean : context.getBeansOfType(Resettable.class, false, false).entrySet()) {
            Resettable resettable = bean.getValue();
            members.add(Resettable.of("bean '" + bean.getKey() + "' (" + resettable.name() + ")", resettable::reset));
        }
        return members;
    }
}
