package org.cohortflow.governance.api;

import java.util.List;
import java.util.Map;
import org.cohortflow.server.http.InvalidFieldException;

/** The JSON bodies the governor's API accepts; each constructor names the field at fault. */
public final class Requests {
    private Requests() {}

    /** A workflow to check or store: its YAML text and the name used in error locations. */
    public record WorkflowUpload(String yaml, String source) {
        public WorkflowUpload {
            InvalidFieldException.requireText(yaml, "yaml");
            source = source == null || source.isBlank() ? "workflow.yaml" : source;
        }
    }

    /** A study; {@code workflow} names a stored workflow (its newest version is used). */
    public record NewStudy(String name, String description, String workflow) {
        public NewStudy {
            InvalidFieldException.requireText(name, "name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}")) {
                throw new InvalidFieldException("name", "'name' must be letters, digits, '.', '_' or '-'");
            }
            description = description == null ? "" : description;
        }
    }

    /** A subject of a study. */
    public record NewSubject(String label, Map<String, String> externalIds) {
        public NewSubject {
            InvalidFieldException.requireText(label, "label");
            externalIds = externalIds == null ? Map.of() : Map.copyOf(externalIds);
        }
    }

    /** A scan of an experiment. */
    public record NewScan(String label, String modality, String kind, String url) {
        public NewScan {
            InvalidFieldException.requireText(label, "label");
            InvalidFieldException.requireText(url, "url");
            modality = modality == null || modality.isBlank() ? "OT" : modality;
            kind = kind == null || kind.isBlank() ? "folder" : kind;
            if (!List.of("dicomweb", "folder", "file").contains(kind)) {
                throw new InvalidFieldException("kind", "'kind' must be dicomweb, folder or file, found '" + kind + "'");
            }
        }
    }

    /**
     * Scans for an existing experiment: a label it has not got is added, one it has with another URL supersedes
     * the current scan, one it has with the same URL changes nothing (so a resend is harmless).
     */
    public record NewScans(List<NewScan> scans, String reason) {
        public NewScans {
            if (scans == null || scans.isEmpty()) {
                throw new InvalidFieldException("scans", "'scans' must list at least one scan");
            }
            scans = List.copyOf(scans);
            java.util.Set<String> labels = new java.util.HashSet<>();
            for (int i = 0; i < scans.size(); i++) {
                if (scans.get(i) == null) {
                    throw new InvalidFieldException("scans[" + i + "]", "'scans[" + i + "]' must be a scan");
                }
                if (!labels.add(scans.get(i).label())) {
                    throw new InvalidFieldException("scans[" + i + "].label", "label '" + scans.get(i).label() + "' is given twice");
                }
            }
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * An experiment; the subject is created when the study does not have it yet. {@code workflow} overrides
     * the study's.
     */
    public record NewExperiment(String study, String subject, String label, String workflow, Map<String, String> externalIds,
                                List<NewScan> scans, Map<String, Object> variables) {
        public NewExperiment {
            InvalidFieldException.requireText(study, "study");
            InvalidFieldException.requireText(subject, "subject");
            InvalidFieldException.requireText(label, "label");
            externalIds = externalIds == null ? Map.of() : Map.copyOf(externalIds);
            scans = scans == null ? List.of() : List.copyOf(scans);
            variables = variables == null ? Map.of() : new java.util.LinkedHashMap<>(variables);
        }
    }

    /** A new value for a variable. */
    public record VariableValue(Object value) {
        public VariableValue {
            InvalidFieldException.require(value, "value");
        }
    }

    /** A manual change of state. */
    public record TransitionRequest(String to, String reason) {
        public TransitionRequest {
            InvalidFieldException.requireText(to, "to");
            reason = reason == null ? "" : reason;
        }
    }

    /** A study's new workflow. */
    public record StudyWorkflow(String workflow) {
        public StudyWorkflow {
            InvalidFieldException.requireText(workflow, "workflow");
        }
    }
}
