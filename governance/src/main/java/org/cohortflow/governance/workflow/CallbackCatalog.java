package org.cohortflow.governance.workflow;

import java.util.Optional;
import java.util.Set;

/** What a workflow may use as callback types, with the arguments each accepts; checked at load. */
public interface CallbackCatalog {

    /** The arguments of a callback type, or empty for an unknown type. */
    Optional<Arguments> arguments(String type);

    /** Every known type, for error messages. */
    Set<String> types();

    /**
     * The arguments a callback type takes.
     *
     * @param required must be present
     * @param optional may be present
     */
    record Arguments(Set<String> required, Set<String> optional) {
        public Arguments {
            required = Set.copyOf(required);
            optional = Set.copyOf(optional);
        }

        public boolean allows(String name) {
            return required.contains(name) || optional.contains(name);
        }
    }
}
