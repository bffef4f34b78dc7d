package org.cohortflow.tasks.queue;

import java.util.Optional;

/**
 * Who may do a task: anyone, one named user, or the members of a group.
 *
 * @param user  the only user who may do it, if fixed
 * @param group the group whose members may do it, if fixed
 */
public record Audience(Optional<String> user, Optional<String> group) {
    /** Anyone with the reviewer role. */
    public static final Audience ANYONE = new Audience(Optional.empty(), Optional.empty());

    /** Whether {@code reviewer} may do the task (activity is not considered: a fixed user stays fixed). */
    public boolean admits(Reviewer reviewer) {
        return user.map(reviewer.name()::equals).orElse(true)
                && group.map(reviewer.groups()::contains).orElse(true);
    }
}
