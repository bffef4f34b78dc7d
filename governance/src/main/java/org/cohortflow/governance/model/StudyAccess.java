package org.cohortflow.governance.model;

import java.time.Instant;
import java.util.List;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.http.ApiError;
import org.jdbi.v3.core.Handle;

/**
 * Per-study permissions on top of the roles: a study with members may be changed only by its members
 * (who also need the manager role) and by admins; a study without members by every manager. Reading is
 * not restricted.
 */
public final class StudyAccess {

    /** The study's members, by name. */
    public List<String> members(Handle h, long studyId) {
        return h.createQuery("SELECT user_name FROM study_member WHERE study_id = :s ORDER BY user_name").bind("s", studyId)
                .mapTo(String.class).list();
    }

    /** Adds a member; adding one twice is harmless. Returns false when already a member. */
    public boolean add(Handle h, long studyId, String user, Instant now) {
        if (members(h, studyId).contains(user)) {
            return false;
        }
        h.createUpdate("INSERT INTO study_member (study_id, user_name, added_at) VALUES (:s, :u, :now)")
                .bind("s", studyId).bind("u", user).bind("now", now).execute();
        return true;
    }

    /** Removes a member; returns false when it was not one. */
    public boolean remove(Handle h, long studyId, String user) {
        return h.createUpdate("DELETE FROM study_member WHERE study_id = :s AND user_name = :u").bind("s", studyId).bind("u", user)
                .execute() == 1;
    }

    /**
     * Requires that {@code caller} may change the study's experiments.
     *
     * @throws ApiError 403 otherwise
     */
    public void requireChange(Handle h, Caller caller, long studyId, String studyName) {
        if (caller.has(Role.ADMIN)) {
            return;
        }
        List<String> members = members(h, studyId);
        if (!members.isEmpty() && !members.contains(caller.name())) {
            throw ApiError.forbidden("user '" + caller.name() + "' is not a member of study '" + studyName + "'");
        }
    }
}
