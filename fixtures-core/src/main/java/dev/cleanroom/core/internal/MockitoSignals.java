package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * The Mockito half of {@link SignalAfterMethod}, through reflection: Mockito is no
 * dependency of Cleanroom's, and its classes are looked up only when {@code signalAfter}
 * is given a service and Mockito is on that service's class path. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class MockitoSignals {

    private final ClassLoader loader;

    private MockitoSignals(ClassLoader loader) {
        this.loader = loader;
    }

    /** Mockito as {@code service}'s class loader (else the context class loader) sees it; null when absent. */
    static MockitoSignals find(Object service) {
        for (ClassLoader loader : new ClassLoader[] {service.getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                Class.forName("org.mockito.Mockito", false, loader);
                return new MockitoSignals(loader);
            } catch (ClassNotFoundException | LinkageError absent) {
                // try the next one
            }
        }
        return null;
    }

    boolean isMock(Object service) {
        return (Boolean) call(type("org.mockito.MockingDetails"), "isMock", details(service));
    }

    /**
     * Stubs every overload of {@code method} on the spy or mock {@code service} in place: a
     * spy calls its real method, a mock answers as it would by default; then the payload is
     * signalled. Stubbing the method again afterwards replaces this.
     */
    Object stub(Object service, String method, Consumer<Object> signal) {
        Class<?> detailsType = type("org.mockito.MockingDetails");
        Class<?> settingsType = type("org.mockito.mock.MockCreationSettings");
        Class<?> answerType = type("org.mockito.stubbing.Answer");
        Class<?> invocationType = type("org.mockito.invocation.InvocationOnMock");
        Object details = details(service);
        boolean spy = (Boolean) call(detailsType, "isSpy", details);
        Object settings = call(detailsType, "getMockCreationSettings", details);
        Object byDefault = call(settingsType, "getDefaultAnswer", settings);
        Class<?> mocked = (Class<?>) call(settingsType, "getTypeToMock", settings);
        List<Method> candidates = Arrays.stream(mocked.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()))
                .toList();
        SignalAfterMethod.requireMethod(candidates, method, "the " + (spy ? "spy" : "mock") + " of " + mocked.getName());
        Method answerMethod = method(answerType, "answer", invocationType);
        for (Method m : candidates) {
            if (!m.getName().equals(method)) {
                continue;
            }
            Object answer = Proxy.newProxyInstance(loader, new Class<?>[] {answerType}, (proxy, called, args) -> {
                if (!called.equals(answerMethod)) { // equals, hashCode, toString of the answer itself
                    return switch (called.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "signalAfter answer of " + mocked.getSimpleName() + "." + method;
                    };
                }
                Object invocation = args[0];
                Object result = spy ? invoke(method(invocationType, "callRealMethod"), invocation)
                        : invoke(answerMethod, byDefault, invocation);
                Object[] arguments = (Object[]) invoke(method(invocationType, "getArguments"), invocation);
                signal.accept(SignalAfterMethod.payload(m.getReturnType(), arguments, result));
                return result;
            });
            Object stubber = invokeOrFail(method(type("org.mockito.Mockito"), "doAnswer", answerType), null, answer);
            Object stubbing = invokeOrFail(method(type("org.mockito.stubbing.Stubber"), "when", Object.class), stubber,
                    service);
            Object[] matchers = new Object[m.getParameterCount()];
            Class<?>[] parameters = m.getParameterTypes();
            for (int i = 0; i < matchers.length; i++) {
                matchers[i] = any(parameters[i]);
            }
            if (!m.canAccess(stubbing)) {
                m.setAccessible(true); // a public method of a non-public class
            }
            invokeOrFail(m, stubbing, matchers);
        }
        return service;
    }

    private Object details(Object service) {
        return invokeOrFail(method(type("org.mockito.Mockito"), "mockingDetails", Object.class), null, service);
    }

    /** A matcher of any value of {@code type}, null included, as the value Mockito wants in its place. */
    private Object any(Class<?> type) {
        String name = !type.isPrimitive() ? "any"
                : "any" + Character.toUpperCase(type.getName().charAt(0)) + type.getName().substring(1); // anyInt, ...
        return invokeOrFail(method(type("org.mockito.ArgumentMatchers"), name), null);
    }

    private Class<?> type(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Mockito on the class path has no " + name + ": signalAfter needs Mockito 4 "
                    + "or later to stub a spy", e);
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Mockito on the class path has no " + type.getName() + "." + name
                    + ": signalAfter needs Mockito 4 or later to stub a spy", e);
        }
    }

    private static Object call(Class<?> type, String name, Object target) {
        return invokeOrFail(method(type, name), target);
    }

    /** Invokes, letting what the method threw through as it is. */
    private static Object invoke(Method method, Object target, Object... args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object invokeOrFail(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("Mockito failed in " + method.getName() + ": " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Could not call Mockito's " + method.getName() + ": " + e, e);
        }
    }
}
