package com.example.orders;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Test code, found by the application's component scan: counts the application contexts made in this JVM. */
@Component
class ContextCreations {

    static final AtomicInteger COUNT = new AtomicInteger();

    ContextCreations() {
        COUNT.incrementAndGet();
    }
}
