package dev.cleanroom.examples.spring;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Test code that the application's component scan finds: counts the application contexts made in this JVM. */
@Component
class ContextCreations {

    static final AtomicInteger COUNT = new AtomicInteger();

    ContextCreations() {
        COUNT.incrementAndGet();
    }
}
