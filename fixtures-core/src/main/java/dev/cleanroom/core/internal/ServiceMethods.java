package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.apiguardian.api.API;

/** Calls a service's public no-arg lifecycle method by name. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class ServiceMethods {

    private ServiceMethods() {}

    /** Calls {@code service.name()} if it is a public no-arg instance method; returns whether it existed. */
    public static boolean invokeIfPresent(Object service, String name) throws Exception {
        Method method;
        try {
            method = service.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            return false;
        }
        if (Modifier.isStatic(method.getModifiers())) {
            return false;
        }
        try {
            if (!method.canAccess(service)) {
                method.setAccessible(true); // a public method of a non-public class
            }
            method.invoke(service);
            return true;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
