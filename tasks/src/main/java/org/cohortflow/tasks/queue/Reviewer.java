package org.cohortflow.tasks.queue;

import java.util.Set;

/**
 * A person who does tasks, as the assignment sees them.
 *
 * @param name   user name (the same as the login)
 * @param weight relative share of new tasks, &gt; 0 (weight 2 gets about twice the tasks of weight 1)
 * @param groups groups the reviewer belongs to
 * @param active whether new tasks go to them
 */
public record Reviewer(String name, double weight, Set<String> groups, boolean active) {
    public Reviewer {
        if (!(weight > 0)) throw new IllegalArgumentException("weight must be more than 0");
        groups = Set.copyOf(groups);
    }
}
