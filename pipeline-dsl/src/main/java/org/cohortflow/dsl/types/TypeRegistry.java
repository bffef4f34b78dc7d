package org.cohortflow.dsl.types;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * All data types known to a run, by name, with the subtype relation between them. Built once from the
 * {@link DataTypeProvider}s on the class path (or from an explicit list in tests) and immutable after.
 */
public final class TypeRegistry {
    private final Map<String, DataType> byName;

    private TypeRegistry(Map<String, DataType> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The types of every provider found by {@link ServiceLoader} on the class path of {@code loader}. */
    public static TypeRegistry load(ClassLoader loader) {
        TreeMap<String, DataType> all = new TreeMap<>();
        for (DataTypeProvider p : ServiceLoader.load(DataTypeProvider.class, loader)) {
            addAll(all, p.dataTypes(), p.getClass().getName());
        }
        return new TypeRegistry(all);
    }

    /** The types of the class path this class was loaded from. */
    public static TypeRegistry load() {
        return load(TypeRegistry.class.getClassLoader());
    }

    /** A registry of exactly these types. */
    public static TypeRegistry of(Collection<? extends DataType> types) {
        TreeMap<String, DataType> all = new TreeMap<>();
        addAll(all, types, "explicit list");
        return new TypeRegistry(all);
    }

    private static void addAll(Map<String, DataType> all, Collection<? extends DataType> types, String from) {
        for (DataType t : types) {
            DataType old = all.putIfAbsent(t.name(), t);
            if (old != null && !old.equals(t)) {
                throw new IllegalStateException("data type '" + t.name() + "' is defined twice (again by " + from + ")");
            }
        }
    }

    public Optional<DataType> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<DataType> all() {
        return byName.values();
    }

    /** Names of all types, sorted, for "did you mean" lists. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The direct and indirect members of a group. */
    public List<DataType> membersOf(String group) {
        return byName.values().stream().filter(t -> ancestors(t).contains(group)).toList();
    }

    /**
     * True when data of type {@code produced} may flow into a port expecting {@code expected}: the same
     * type, a member (directly or through nested groups) of it, or a group all of whose members may.
     */
    public boolean isAssignable(DataType produced, DataType expected) {
        if (produced.name().equals(expected.name()) || ancestors(produced).contains(expected.name())) {
            return true;
        }
        if (produced instanceof TypeGroup) {
            List<DataType> members = membersOf(produced.name()).stream()
                    .filter(m -> !(m instanceof TypeGroup)).toList();
            return !members.isEmpty() && members.stream().allMatch(m -> isAssignable(m, expected));
        }
        return false;
    }

    /** All groups {@code type} belongs to, transitively. */
    private Set<String> ancestors(DataType type) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(type.memberOf());
        while (!todo.isEmpty()) {
            String g = todo.pop();
            if (seen.add(g)) {
                DataType gt = byName.get(g);
                if (gt != null) {
                    todo.addAll(gt.memberOf());
                }
            }
        }
        return seen;
    }
}
