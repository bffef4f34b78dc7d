package org.cohortflow.governance.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.governance.Governor;
import org.cohortflow.server.config.ServiceConfig;
import org.junit.jupiter.api.Test;

class WorkflowParserTest {
    private final WorkflowParser parser = new WorkflowParser(Governor.callbackTypes(ServiceConfig.defaults("governor", 0)));

    @Test
    void the_example_workflow_is_valid_and_its_conditions_evaluate() {
        Workflow w = parser.parse(Path.of("examples/ct-qc.yaml"));
        assertEquals("received", w.initial());
        assertEquals(List.of("received", "review", "good", "failed"), List.copyOf(w.states().keySet()));
        Workflow.Transition toGood = w.state("received").transitions().get(0);
        Map<String, Object> facts = Map.of("callbacks.score.result", "success",
                "callbacks.score.output", Map.of("score", 0.93));
        assertTrue(toGood.condition().test(facts));
        assertFalse(toGood.condition().test(Map.of("callbacks.score.result", "success", "callbacks.score.output", Map.of("score", 0.2))));
        assertTrue(w.transition("good", "review").orElseThrow().manual());
    }

    @Test
    void a_condition_over_a_missing_variable_fails_at_run_time_with_a_reason() {
        ConditionEnvironment env = ConditionEnvironment.of(Map.of("age", VariableType.INT), Set.of());
        Condition c = env.check("vars.age > 60").condition();
        assertTrue(c.test(Map.of("vars.age", 61L)));
        Condition.ConditionFailure f = assertThrows(Condition.ConditionFailure.class, () -> c.test(Map.of()));
        assertTrue(f.getMessage().contains("vars.age"), f.getMessage());
    }

    @Test
    void every_problem_of_a_broken_workflow_is_reported_with_file_line_and_column() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> parser.parse(Path.of("src/test/resources/broken-workflow.yaml")));
        String m = e.getMessage();
        String f = "src/test/resources/broken-workflow.yaml";
        assertTrue(m.contains(f + ":9:15: unknown callback type 'carrier-pigeon'"), m);
        assertTrue(m.contains(f + ":12:33: unknown argument 'colour' for callback type 'http'"), m);
        assertTrue(m.contains(f + ":15:21: condition does not type-check: unknown name 'vars.agee' (known: vars.age)"), m);
        assertTrue(m.contains(f + ":16:13: unknown state 'nowhere'"), m);
        assertTrue(m.contains(f + ":18:30:") && m.contains("found no matching overload for '_+_'"), m);
        assertTrue(m.contains(f + ":19:3: state 'middle' has no way out and is not marked final"), m);
        assertTrue(m.contains(f + ":21:3: state 'orphan' is unreachable"), m);
        assertEquals(7, e.problems().size(), m);
    }

    @Test
    void an_interrupting_transition_needs_a_condition_and_sees_the_scans_added_while_its_task_is_pending() {
        Workflow w = parser.parse(Path.of("../examples/study/workflow.yaml"));
        Workflow.Transition back = w.state("resegmentation").transitions().get(0);
        assertEquals("radiomics", back.to());
        assertTrue(back.interrupt());
        List<Map<String, String>> rtstruct = List.of(Map.of("label", "rtstruct", "modality", "RTSTRUCT", "kind", "file", "url", "file:///b2"));
        Map<String, Object> pending = Map.of("scans", List.of(), "scans_added", List.of(),
                "callbacks.resegment.result", "", "callbacks.resegment.output", Map.of());
        assertFalse(back.condition().test(pending), "nothing new and the task open: stay");
        Map<String, Object> arrived = new java.util.HashMap<>(pending);
        arrived.put("scans_added", rtstruct);
        assertTrue(back.condition().test(arrived), "the corrected RTSTRUCT arrived: back to radiomics with the task open");
        assertTrue(back.condition().test(Map.of("scans", List.of(), "scans_added", List.of(),
                "callbacks.resegment.result", "success", "callbacks.resegment.output", Map.of("decision", "rerun"))));

        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parser.parse("""
                workflow: w
                initial: a
                states:
                  a:
                    transitions:
                      - {to: b, interrupt: true}
                      - {to: b2, interrupt: true, manual: true, condition: "scans_added.size() > 0"}
                  b: {final: true}
                  b2: {final: true}
                """, "w.yaml"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("'interrupt: true' needs a condition and is not 'manual'"), e.getMessage());
    }

    @Test
    void conditions_use_the_standard_macros_over_the_scans_and_outputs() {
        ConditionEnvironment env = ConditionEnvironment.of(Map.of(), Set.of("qc"));
        List<Map<String, String>> ctAndRtstruct = List.of(
                Map.of("label", "ct", "modality", "CT", "kind", "folder", "url", "file:///store/a"),
                Map.of("label", "rtstruct", "modality", "RTSTRUCT", "kind", "folder", "url", "file:///store/b"));
        List<Map<String, String>> ctOnly = List.of(ctAndRtstruct.get(0));
        Map<String, Condition> conditions = new java.util.LinkedHashMap<>();
        for (String e : List.of(
                "scans.exists(s, s.modality == 'CT') && scans.exists(s, s.modality == 'RTSTRUCT')",
                "scans.all(s, s.kind == 'folder')",
                "scans.exists_one(s, s.label == 'ct')",
                "scans.filter(s, s.modality == 'RTSTRUCT').size() == 1",
                "scans.map(s, s.label).exists(l, l == 'rtstruct')",
                "has(callbacks.qc.output.quality) && callbacks.qc.output.quality == 'usable'")) {
            ConditionEnvironment.Checked c = env.check(e);
            assertTrue(c.errors().isEmpty(), e + ": " + c.errors());
            conditions.put(e, c.condition());
        }
        Map<String, Object> full = Map.of("scans", ctAndRtstruct, "callbacks.qc.output", Map.of("quality", "usable"));
        Map<String, Object> partial = Map.of("scans", ctOnly, "callbacks.qc.output", Map.of("verdict", "later"));
        conditions.forEach((e, c) -> assertTrue(c.test(full), e));
        assertFalse(conditions.get("scans.exists(s, s.modality == 'CT') && scans.exists(s, s.modality == 'RTSTRUCT')").test(partial));
        assertFalse(conditions.get("scans.filter(s, s.modality == 'RTSTRUCT').size() == 1").test(partial));
        assertFalse(conditions.get("has(callbacks.qc.output.quality) && callbacks.qc.output.quality == 'usable'").test(partial));
    }

    @Test
    void a_macro_over_a_field_scans_do_not_have_or_a_wrong_type_is_refused_at_load() {
        ConditionEnvironment env = ConditionEnvironment.of(Map.of(), Set.of());
        assertFalse(env.check("scans.exists(s, s.modality == 3)").errors().isEmpty());
        assertFalse(env.check("scans.all(s, s.label)").errors().isEmpty(), "the predicate must be a bool");
        assertFalse(env.check("scans.exists(s, t.modality == 'CT')").errors().isEmpty(), "t is not declared");
    }
}
