package org.cohortflow.tasks.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads new tasks over reviewers by weighted load: each task goes to the admitted, active reviewer whose
 * share after taking it, (tasks so far + 1) / weight, is smallest (ties by name, so runs are repeatable).
 * Over many tasks every reviewer's count approaches total x weight / sum of weights. A task read by k
 * people gets k different reviewers.
 */
public final class Assigner {
    private static final Comparator<Candidate> ORDER = Comparator.comparingDouble(Candidate::shareAfter)
            .thenComparing(c -> c.reviewer().name());

    /**
     * Picks the reviewers for one task, or an empty list when none is admitted (the task then waits in the
     * open pool for anyone the audience admits).
     *
     * @param reviewers all reviewers
     * @param audience  who may do the task
     * @param readers   how many different reviewers must read it, &ge; 1
     * @param load      tasks assigned so far per reviewer (names missing count as 0); not changed
     * @return up to {@code readers} distinct names, fewer when fewer are admitted
     */
    public List<String> pick(List<Reviewer> reviewers, Audience audience, int readers, Map<String, Long> load) {
        if (readers < 1) throw new IllegalArgumentException("readers must be at least 1");
        if (audience.user().isPresent()) {
            // a task fixed to one user goes to them whatever their load or activity (the API refuses k > 1 then)
            return List.of(audience.user().get());
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Reviewer r : reviewers) {
            if (r.active() && audience.admits(r)) {
                candidates.add(new Candidate(r, load.getOrDefault(r.name(), 0L)));
            }
        }
        candidates.sort(ORDER);
        return candidates.stream().limit(readers).map(c -> c.reviewer().name()).toList();
    }

    /** Assigns {@code count} tasks one after the other, counting each in the load of the next (for planning and tests). */
    public Map<String, Long> spread(List<Reviewer> reviewers, Audience audience, int count) {
        Map<String, Long> load = new HashMap<>();
        for (int i = 0; i < count; i++) {
            for (String name : pick(reviewers, audience, 1, load)) load.merge(name, 1L, Long::sum);
        }
        return load;
    }

    private record Candidate(Reviewer reviewer, long assigned) {
        double shareAfter() {
            return (assigned + 1) / reviewer.weight();
        }
    }
}
