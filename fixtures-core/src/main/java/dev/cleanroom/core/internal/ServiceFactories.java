package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/** Finds service factories and builds, starts and registers services. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class ServiceFactories {

    private static final Map<ClassLoader, Map<Class<?>, ServiceFactory<?>>> LOADED = new ConcurrentHashMap<>();

    private ServiceFactories() {}

    /** The factory for {@code type} that applies to {@code context}, or null. */
    public static ServiceFactory<?> find(ExtensionContext context, Class<?> type) {
        // closest declaration first: method, then the class, then enclosing classes
        List<AnnotatedElement> places = new ArrayList<>();
        context.getTestMethod().ifPresent(places::add);
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            places.add(c);
        }
        for (AnnotatedElement place : places) {
            ServiceFactory<?> found = null;
            for (IsolatedServices annotation : AnnotationSupport.findAnnotation(place, IsolatedServices.class).stream().toList()) {
                for (Class<? extends ServiceFactory<?>> factoryType : annotation.value()) {
                    ServiceFactory<?> factory = FACTORY_INSTANCES.computeIfAbsent(factoryType, ServiceFactories::instantiate);
                    if (factory.serviceType() == type) {
                        if (found != null && found.getClass() != factory.getClass()) {
                            throw new IllegalStateException("Two factories on " + place + " make " + type.getName()
                                    + ": " + found.getClass().getName() + " and " + factory.getClass().getName()
                                    + ". List only one in @IsolatedServices.");
                        }
                        found = factory;
                    }
                }
            }
            if (found != null) {
                return found;
            }
        }
        return loaded().get(type);
    }

    private static final Map<Class<?>, ServiceFactory<?>> FACTORY_INSTANCES = new ConcurrentHashMap<>();

    private static ServiceFactory<?> instantiate(Class<?> factoryType) {
        try {
            return (ServiceFactory<?>) ReflectionSupport.newInstance(factoryType);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot create service factory " + factoryType.getName()
                    + " listed in @IsolatedServices: " + e + ". A factory needs a no-arg constructor.", e);
        }
    }

    private static Map<Class<?>, ServiceFactory<?>> loaded() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ServiceFactories.class.getClassLoader();
        }
        return LOADED.computeIfAbsent(loader, l -> {
            Map<Class<?>, ServiceFactory<?>> byType = new LinkedHashMap<>();
            try {
                @SuppressWarnings("rawtypes")
                ServiceLoader<ServiceFactory> services = ServiceLoader.load(ServiceFactory.class, l);
                for (ServiceFactory<?> factory : services) {
                    ServiceFactory<?> previous = byType.putIfAbsent(factory.serviceType(), factory);
                    if (previous != null) {
                        throw new IllegalStateException("Two service factories registered in META-INF/services/"
                                + ServiceFactory.class.getName() + " make " + factory.serviceType().getName() + ": "
                                + previous.getClass().getName() + " and " + factory.getClass().getName()
                                + ". Remove one, or choose with @IsolatedServices on the test class.");
                    }
                }
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("Cannot load a service factory listed in META-INF/services/"
                        + ServiceFactory.class.getName() + ": " + e.getMessage(), e);
            }
            return Map.copyOf(byType);
        });
    }

    /**
     * Creates and starts a service, and registers its stop in {@code context.scope()}.
     * On failure nothing is left behind and the exception names the service, the factory,
     * the step and the cause.
     */
    public static <T> T startService(ServiceFactory<T> factory, ServiceContext context) {
        String what = "isolated service " + factory.serviceType().getSimpleName() + " (factory "
                + factory.getClass().getName() + ")";
        T service;
        try {
            service = factory.create(context);
        } catch (Exception | LinkageError | AssertionError e) {
            throw new ServiceFailure(what + " could not be created for " + context.identity().readableName()
                    + ": " + e, e);
        }
        if (service == null) {
            throw new ServiceFailure(what + ": create() returned null for " + context.identity().readableName()
                    + ". Return a new instance of " + factory.serviceType().getName() + ".", null);
        }
        if (!factory.serviceType().isInstance(service)) {
            throw new ServiceFailure(what + ": create() returned a " + service.getClass().getName() + ", not a "
                    + factory.serviceType().getName() + ".", null);
        }
        try {
            factory.start(service);
        } catch (Exception | LinkageError | AssertionError e) {
            ServiceFailure failure = new ServiceFailure(what + " was created but failed to start for "
                    + context.identity().readableName() + ": " + e + " (it was stopped again)", e);
            try {
                factory.stop(service);
            } catch (Exception stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
        context.scope().register(what, service, factory::stop);
        return service;
    }

    /** A service could not be created or started; the message says which and why. */
    public static final class ServiceFailure extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ServiceFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
