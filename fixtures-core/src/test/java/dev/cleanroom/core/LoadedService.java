package dev.cleanroom.core;

import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;

/** A service whose factory is registered in META-INF/services (test resources). */
public final class LoadedService implements AutoCloseable {

    @Override
    public void close() {
        IsolatedServicesTest.JOURNAL.add("loaded service stopped");
    }

    /** Registered through ServiceLoader. */
    public static final class Factory implements ServiceFactory<LoadedService> {
        @Override
        public Class<LoadedService> serviceType() {
            return LoadedService.class;
        }

        @Override
        public LoadedService create(ServiceContext context) {
            return new LoadedService();
        }
    }
}
