package org.cohortflow.dsl.types;

import java.util.List;

/**
 * Contributes data types to the {@link TypeRegistry}. Modules register implementations in
 * {@code META-INF/services/org.cohortflow.dsl.types.DataTypeProvider}.
 */
public interface DataTypeProvider {
    List<DataType> dataTypes();
}
