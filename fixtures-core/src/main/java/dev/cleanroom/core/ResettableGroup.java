package dev.cleanroom.core;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/** What {@link Resettable#group} makes: {@link StateResets} and {@link CircuitBreakers} unfold it into its members. */
record ResettableGroup(Object owner, Supplier<? extends Collection<? extends Resettable>> members) implements Resettable {

    /** The members now. */
    List<Resettable> now() {
        return List.copyOf(members.get());
    }

    @Override
    public String name() {
        return "every member of " + owner;
    }

    @Override
    public void reset() {
        now().forEach(Resettable::reset);
    }

    @Override
    public boolean isClosed() {
        return now().stream().allMatch(Resettable::isClosed);
    }
}
