package dev.cleanroom.examples;

import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import dev.cleanroom.examples.hooks.HookReceiver;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.postgres.PostgresHandle;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A fresh {@link HookReceiver} for each test that declares one: on a free port, storing in
 * the test's schema, publishing to the test's {@code hooks} topic, its HTTP threads made by
 * the test's task tracker; started before the test and stopped after it.
 */
public final class HookReceiverFactory implements ServiceFactory<HookReceiver> {

    @Override
    public Class<HookReceiver> serviceType() {
        return HookReceiver.class;
    }

    @Override
    public HookReceiver create(ServiceContext context) {
        return new HookReceiver(ExampleWiring.hookReceiver(context.requireFixture(KafkaHandle.class),
                context.requireFixture(PostgresHandle.class), context.tracker()));
    }

    @Override
    public void start(HookReceiver receiver) {
        try {
            receiver.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop(HookReceiver receiver) {
        receiver.stop();
    }
}
