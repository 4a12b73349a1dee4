package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Validates a class's {@code @IsolatedKafka} topic declarations before the shared broker is
 * started or connected to (it is registered ahead of the extension that starts servers), so
 * a bad declaration fails the class and touches no server. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class DeclarationCheck implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        IsolatedKafkaExtension.classDeclaration(context.getRequiredTestClass())
                .ifPresent(IsolatedKafkaExtension::specs); // throws, naming the declaration
    }
}
