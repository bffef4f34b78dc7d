package org.cohortflow.tasks.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssignerTest {
    private final Assigner assigner = new Assigner();
    private final Reviewer ann = new Reviewer("ann", 1, Set.of("radiology"), true);
    private final Reviewer bob = new Reviewer("bob", 2, Set.of("radiology"), true);
    private final Reviewer cas = new Reviewer("cas", 1, Set.of("oncology"), true);

    @Test
    void aThousandTasksSplitOverThreeReviewersByWeightWithinOnePercent() {
        Map<String, Long> load = assigner.spread(List.of(ann, bob, cas), Audience.ANYONE, 1000);
        // weights 1:2:1 -> 250, 500, 250; tolerance 1 % of all tasks
        assertEquals(250, load.get("ann"), 10);
        assertEquals(500, load.get("bob"), 10);
        assertEquals(250, load.get("cas"), 10);
        assertEquals(1000, load.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aNewcomerCatchesUpBeforeTheOthersGetMore() {
        List<String> picked = assigner.pick(List.of(ann, bob, cas), Audience.ANYONE, 1, Map.of("ann", 10L, "bob", 20L));
        assertEquals(List.of("cas"), picked);
    }

    @Test
    void aGroupTaskGoesOnlyToTheGroupsMembers() {
        Map<String, Long> load = assigner.spread(List.of(ann, bob, cas),
                new Audience(Optional.empty(), Optional.of("oncology")), 30);
        assertEquals(Map.of("cas", 30L), load);
    }

    @Test
    void aTaskFixedToOneUserGoesToThemWhateverTheirLoad() {
        assertEquals(List.of("ann"), assigner.pick(List.of(ann, bob), new Audience(Optional.of("ann"), Optional.empty()),
                1, Map.of("ann", 1000L)));
    }

    @Test
    void doubleReadingPicksDifferentReviewers() {
        List<String> picked = assigner.pick(List.of(ann, bob, cas), Audience.ANYONE, 2, Map.of());
        assertEquals(2, Set.copyOf(picked).size());
    }

    @Test
    void inactiveReviewersGetNoNewTasks() {
        Reviewer away = new Reviewer("dan", 5, Set.of(), false);
        Map<String, Long> load = assigner.spread(List.of(ann, away), Audience.ANYONE, 10);
        assertEquals(Map.of("ann", 10L), load);
    }

    @Test
    void withNobodyAdmittedTheTaskStaysInTheOpenPool() {
        assertTrue(assigner.pick(List.of(ann), new Audience(Optional.empty(), Optional.of("nobody")), 1, Map.of()).isEmpty());
    }
}
