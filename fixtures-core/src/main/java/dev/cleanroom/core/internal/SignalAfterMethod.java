package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * What {@code EventCoordinator.signalAfter(service, method)} does: a JDK proxy over the
 * service's interfaces, or, for a Mockito spy or mock, a stub of the method in place
 * ({@link MockitoSignals}, through reflection: Mockito is optional). Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SignalAfterMethod {

    private SignalAfterMethod() {}

    /**
     * {@code service}, wrapped so that each call of a method named {@code method} that returns
     * normally hands its payload to {@code signal}: the return value, or for a {@code void}
     * method its argument (its arguments as a list when several; null when none).
     *
     * @param type the interface the proxy implements; null: every interface of the service's class
     */
    public static Object wrap(Class<?> type, Object service, String method, Consumer<Object> signal) {
        MockitoSignals mockito = type == null ? MockitoSignals.find(service) : null;
        if (mockito != null && mockito.isMock(service)) {
            return mockito.stub(service, method, signal);
        }
        Class<?>[] interfaces = type != null ? new Class<?>[] {type} : interfaces(service.getClass());
        if (type != null && !type.isInterface()) {
            throw new IllegalArgumentException("signalAfter(" + type.getName() + ".class, ...): " + type.getName()
                    + " is not an interface; a JDK proxy can only implement interfaces. Pass an interface the service "
                    + "implements, or a Mockito spy of the service to signalAfter(spy, \"" + method + "\").");
        }
        if (interfaces.length == 0) {
            throw new IllegalArgumentException("signalAfter(service, \"" + method + "\"): "
                    + service.getClass().getName() + " implements no interface, so it cannot be wrapped in a proxy. "
                    + "Pass a Mockito spy of it (Mockito.spy(service), stubbed in place), or wrap the method yourself "
                    + "with signalAfter(barrier, Function/Consumer/Runnable).");
        }
        requireMethod(Arrays.stream(interfaces).flatMap(i -> Arrays.stream(i.getMethods())).toList(), method,
                "the interfaces of " + service.getClass().getName() + " (" + String.join(", ",
                        Arrays.stream(interfaces).map(Class::getName).toList()) + ")");
        InvocationHandler handler = (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class && m.getName().equals("toString") && m.getParameterCount() == 0) {
                return "signalAfter(" + service + ", " + method + ")";
            }
            Object result;
            try {
                if (!m.canAccess(service)) {
                    m.setAccessible(true); // a public interface method of a non-public class
                }
                result = m.invoke(service, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (m.getName().equals(method)) {
                signal.accept(payload(m.getReturnType(), args, result));
            }
            return result;
        };
        ClassLoader loader = interfaces[0].getClassLoader() != null ? interfaces[0].getClassLoader()
                : service.getClass().getClassLoader();
        return Proxy.newProxyInstance(loader, interfaces, handler);
    }

    /** The payload of one call: the result, else the argument(s). */
    static Object payload(Class<?> returnType, Object[] args, Object result) {
        if (returnType != void.class) {
            return result;
        }
        if (args == null || args.length == 0) {
            return null;
        }
        return args.length == 1 ? args[0] : List.of(args);
    }

    /** Fails, listing the names there are, unless a public instance method {@code method} is among {@code methods}. */
    static void requireMethod(List<Method> methods, String method, String where) {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("signalAfter needs the name of the method to signal after");
        }
        Set<String> names = new TreeSet<>();
        for (Method m : methods) {
            if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class) {
                names.add(m.getName());
            }
        }
        if (!names.contains(method)) {
            throw new IllegalArgumentException("signalAfter(service, \"" + method + "\"): no method '" + method
                    + "' on " + where + ". Its methods: " + String.join(", ", names) + ".");
        }
    }

    private static Class<?>[] interfaces(Class<?> type) {
        Set<Class<?>> all = new LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            all.addAll(Arrays.asList(c.getInterfaces()));
        }
        return all.toArray(new Class<?>[0]);
    }
}
