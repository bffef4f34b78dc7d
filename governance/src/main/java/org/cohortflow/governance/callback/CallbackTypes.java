package org.cohortflow.governance.callback;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.governance.workflow.CallbackCatalog;

/** The callback types a governor runs, by name; also the catalog workflows are checked against. */
public final class CallbackTypes implements CallbackCatalog, AutoCloseable {
    private final Map<String, CallbackType> types = new LinkedHashMap<>();

    public CallbackTypes(List<CallbackType> list) {
        list.forEach(t -> types.put(t.name(), t));
    }

    public Optional<CallbackType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    @Override
    public Optional<Arguments> arguments(String type) {
        return type(type).map(CallbackType::arguments);
    }

    @Override
    public Set<String> types() {
        return types.keySet();
    }

    /** Closes every type. */
    @Override
    public void close() {
        types.values().forEach(CallbackType::close);
    }
}
