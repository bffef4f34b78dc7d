package org.cohortflow.tasks.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.cohortflow.server.http.InvalidFieldException;

/** The JSON bodies the task service accepts; each checks its own required fields so a 400 can name them. */
final class Requests {
    private Requests() {
    }

    /**
     * {@code POST /api/v1/tasks}.
     *
     * @param project        project name
     * @param template       template name
     * @param content        {@code {"subject":..,"experiment":..,"images":{key: url}}}
     * @param tags           labels, optional
     * @param user           only this user may do it, optional (also accepted as {@code fixedUser})
     * @param group          only members of this group may do it, optional (also accepted as {@code fixedGroup})
     * @param readers        how many different reviewers read it (default 1)
     * @param taskGroup      the task group it joins, optional
     * @param callbackUrl    where its result is PUT when it is finished, optional
     * @param callbackSecret sent with the callback, required with a URL
     */
    record CreateTask(String project, String template, JsonNode content, List<String> tags,
                      @JsonAlias("fixedUser") String user, @JsonAlias("fixedGroup") String group,
                      Integer readers, Long taskGroup, String callbackUrl, String callbackSecret) {
        CreateTask {
            InvalidFieldException.requireText(project, "project");
            InvalidFieldException.requireText(template, "template");
            InvalidFieldException.require(content, "content");
            if (!content.isObject()) throw new InvalidFieldException("content", "'content' must be an object");
            tags = tags == null ? List.of() : List.copyOf(tags);
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i) == null || tags.get(i).isBlank() || tags.get(i).length() > 100) {
                    throw new InvalidFieldException("tags[" + i + "]", "a tag is 1 to 100 characters");
                }
            }
        }
    }

    /** {@code PUT /api/v1/tasks/{id}/draft}. */
    record Draft(JsonNode draft) {
        Draft {
            InvalidFieldException.require(draft, "draft");
            if (!draft.isObject()) throw new InvalidFieldException("draft", "'draft' must be an object");
        }
    }

    /** {@code POST /api/v1/tasks/{id}/result}. */
    record Result(JsonNode result) {
        Result {
            InvalidFieldException.require(result, "result");
        }
    }

    /** {@code POST /api/v1/tasks/{id}/skip}. */
    record Skip(String reason) {
        Skip {
            InvalidFieldException.requireText(reason, "reason");
        }
    }

    /** {@code POST /api/v1/tasks/{id}/fail}. */
    record Fail(String reason) {
        Fail {
            InvalidFieldException.requireText(reason, "reason");
        }
    }

    /** {@code PUT /api/v1/tasks/{id}/assignee}: a reviewer, or null for the open pool. */
    record Assign(String user) {
    }

    /** {@code POST /api/v1/projects}. */
    record NewProject(String name, String description) {
        NewProject {
            InvalidFieldException.requireText(name, "name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                throw new InvalidFieldException("name", "a project name is letters, digits, '.', '_' or '-' (at most 100)");
            }
            description = description == null ? "" : description;
        }
    }

    /** {@code POST /api/v1/task-groups}. */
    record NewTaskGroup(String name, String project, String callbackUrl, String callbackSecret) {
        NewTaskGroup {
            InvalidFieldException.requireText(name, "name");
            InvalidFieldException.requireText(project, "project");
        }
    }

    /** {@code PUT /api/v1/reviewers/{name}}. */
    record ReviewerBody(Double weight, Boolean active, List<String> groups) {
        ReviewerBody {
            weight = weight == null ? 1.0 : weight;
            if (!(weight > 0) || weight > 1000) throw new InvalidFieldException("weight", "'weight' must be more than 0 and at most 1000");
            active = active == null ? Boolean.TRUE : active;
            groups = groups == null ? List.of() : List.copyOf(groups);
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i) == null || !groups.get(i).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                    throw new InvalidFieldException("groups[" + i + "]", "a group name is letters, digits, '.', '_' or '-'");
                }
            }
        }
    }
}
