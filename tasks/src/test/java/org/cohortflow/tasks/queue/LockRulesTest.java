package org.cohortflow.tasks.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LockRulesTest {
    private final LockRules rules = new LockRules(Duration.ofMinutes(30));
    private final Instant now = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void aFreeTaskIsLockedForTheConfiguredTime() {
        LockDecision d = rules.acquire(TaskStatus.QUEUED, Optional.empty(), "ann", now);
        assertEquals(new LockDecision.Granted(new Lock("ann", now.plus(Duration.ofMinutes(30)))), d);
    }

    @Test
    void aSecondUserIsRefusedWhileTheLockHolds() {
        Optional<Lock> held = Optional.of(new Lock("ann", now.plusSeconds(60)));
        LockDecision d = rules.acquire(TaskStatus.IN_PROGRESS, held, "bob", now);
        assertEquals(new LockDecision.HeldByOther(held.get()), d);
    }

    @Test
    void anExpiredLockCanBeTakenByAnotherUser() {
        Optional<Lock> lapsed = Optional.of(new Lock("ann", now));
        assertInstanceOf(LockDecision.Granted.class, rules.acquire(TaskStatus.IN_PROGRESS, lapsed, "bob", now));
    }

    @Test
    void theHolderRenewsByLockingAgain() {
        Optional<Lock> held = Optional.of(new Lock("ann", now.plusSeconds(5)));
        LockDecision d = rules.acquire(TaskStatus.IN_PROGRESS, held, "ann", now);
        assertEquals(now.plus(Duration.ofMinutes(30)), ((LockDecision.Granted) d).lock().expiresAt());
    }

    @Test
    void aFinishedTaskCannotBeLocked() {
        assertEquals(new LockDecision.Closed(TaskStatus.DONE), rules.acquire(TaskStatus.DONE, Optional.empty(), "ann", now));
    }

    @Test
    void onlyTheHolderOfAnUnexpiredLockMayWrite() {
        Optional<Lock> held = Optional.of(new Lock("ann", now.plusSeconds(60)));
        assertEquals(Optional.empty(), rules.refusalToWrite(TaskStatus.IN_PROGRESS, held, "ann", now));
        assertEquals(Optional.of("the task is locked by ann"), rules.refusalToWrite(TaskStatus.IN_PROGRESS, held, "bob", now));
        assertEquals(Optional.of("lock the task first"), rules.refusalToWrite(TaskStatus.QUEUED, Optional.empty(), "ann", now));
        assertTrue(rules.refusalToWrite(TaskStatus.IN_PROGRESS, held, "ann", now.plusSeconds(61)).orElseThrow()
                .startsWith("your lock expired"));
        assertEquals(Optional.of("the task is done"), rules.refusalToWrite(TaskStatus.DONE, held, "ann", now));
    }

    @Test
    void aLockIsReleasedByItsHolderOrAManager() {
        Optional<Lock> held = Optional.of(new Lock("ann", now.plusSeconds(60)));
        assertTrue(rules.mayRelease(held, "ann", false));
        assertFalse(rules.mayRelease(held, "bob", false));
        assertTrue(rules.mayRelease(held, "bob", true));
    }
}
