package org.cohortflow.tasks.queue;

import java.util.List;
import java.util.Set;

/**
 * Which tasks to list, one page at a time. Null or empty members do not filter.
 *
 * @param project  project name
 * @param template template name
 * @param statuses any of these statuses (an in-progress task whose lock lapsed counts as queued)
 * @param user     assigned to, locked by or finished by this user
 * @param tag      carries this tag
 * @param page     0-based page
 * @param size     tasks per page
 */
public record TaskFilter(String project, String template, Set<TaskStatus> statuses, String user, String tag,
                         int page, int size) {
    public TaskFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    /** One page of matching tasks and how many match in all. */
    public record Page(List<Task> items, long total, int page, int size) {
        public Page {
            items = List.copyOf(items);
        }
    }
}
