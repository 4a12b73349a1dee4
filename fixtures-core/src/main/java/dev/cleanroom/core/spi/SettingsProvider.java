package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Setting;
import java.util.Collection;
import org.apiguardian.api.API;

/**
 * Declares a module's settings so that {@link dev.cleanroom.core.Configuration} can tell a
 * misspelt key from a real one. Registered through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.cleanroom.core.spi.SettingsProvider}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SettingsProvider {

    /** Every setting the module reads. */
    Collection<Setting<?>> settings();
}
