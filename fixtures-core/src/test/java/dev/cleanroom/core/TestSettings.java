package dev.cleanroom.core;

import dev.cleanroom.core.spi.SettingsProvider;
import java.util.Collection;
import java.util.List;

/** Settings of the test-only "probe" servers, declared the way a fixture module declares its own. */
public final class TestSettings implements SettingsProvider {

    public static final Setting<Engine> PROBE_ENGINE = Setting.oneOf("cleanroom.probe.engine", Engine.class,
            Engine.EXTERNAL, "Engine of the test-only probe server.");
    public static final Setting<Engine> OTHER_ENGINE = Setting.oneOf("cleanroom.other.engine", Engine.class,
            Engine.EXTERNAL, "Engine of the second test-only server.");
    public static final Setting<Integer> PROBE_PARTITIONS = Setting.number("cleanroom.probe.partitions", 1, 1, 64,
            "A number setting.");
    public static final Setting<Boolean> PROBE_REUSE = Setting.flag("cleanroom.probe.reuse", false, "A flag setting.");
    public static final Setting<String> PROBE_ADDRESS = Setting.text("cleanroom.probe.address", null,
            "An optional text setting.");
    public static final Setting<String> PROBE_CLIENT = Setting.prefix("cleanroom.probe.client.", "A pass-through family.");

    @Override
    public Collection<Setting<?>> settings() {
        return List.of(PROBE_ENGINE, OTHER_ENGINE, PROBE_PARTITIONS, PROBE_REUSE, PROBE_ADDRESS, PROBE_CLIENT);
    }
}
