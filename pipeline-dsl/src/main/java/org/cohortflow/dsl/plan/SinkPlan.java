package org.cohortflow.dsl.plan;

import java.util.List;
import java.util.Optional;

/** What a sink will store: per sample, the values and the URL template to store them at. */
public record SinkPlan(String sink, String url, List<Item> items, Optional<String> deferred) {
    public SinkPlan {
        items = List.copyOf(items);
    }

    /** The values of one sample for this sink; {@code missing} says why there are none. */
    public record Item(SampleKey sample, List<ValueRef> values, Optional<String> missing) {
        public Item {
            values = List.copyOf(values);
        }
    }
}
