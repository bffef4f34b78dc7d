package org.cohortflow.tasks.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateParserTest {
    private final TemplateParser parser = new TemplateParser();
    private final ObjectMapper json = new ObjectMapper();

    private static final String GOOD = """
            name: qc
            images:
              - {key: ct, role: image}
              - {key: mask, role: overlay, colormap: green, opacity: 0.3}
            presets:
              - {name: soft tissue, window: 400, level: 40}
            form:
              type: object
              required: [grade]
              properties:
                grade: {type: integer, minimum: 1, maximum: 5}
                note: {type: string, maxLength: 20}
            """;

    @Test
    void theExampleTemplateLoadsWithItsLayersPresetsAndForm() {
        TaskTemplate t = parser.parse(Path.of("examples/sts-ct-qc.yaml"));
        assertEquals("sts-ct-qc", t.name());
        assertEquals(Layout.MULTIPLANAR, t.layout());
        assertEquals(List.of("ct", "mask"), t.imageKeys());
        assertEquals(new ImageLayer("mask", ImageLayer.Role.OVERLAY, "red", 0.5), t.images().get(1));
        assertEquals(new WindowPreset("soft tissue", 400, 40), t.presets().get(0));
        assertEquals(List.of("quality", "slices_off", "artefacts", "comment"),
                List.copyOf(iterable(t.formSchema().path("properties").fieldNames())));
    }

    @Test
    void aYamlTemplateGetsDefaultsForWhatItLeavesOut() {
        TaskTemplate t = parser.parse(GOOD, "qc.yaml");
        assertEquals(1, t.version());
        assertEquals(Layout.MULTIPLANAR, t.layout());
        assertEquals(0.3, t.images().get(1).opacity());
    }

    @Test
    void theSameTemplateWrittenAsJsonIsRead() throws Exception {
        String asJson = json.writeValueAsString(new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(GOOD));
        TaskTemplate t = parser.parse(asJson, "qc.json");
        assertEquals(parser.parse(GOOD, "qc.yaml").formSchema(), t.formSchema());
    }

    @Test
    void anUnknownKeyIsReportedAtItsLineAndColumn() {
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class,
                () -> parser.parse(GOOD.replace("presets:", "presetz:"), "qc.yaml"));
        assertEquals("qc.yaml:5:1: presetz: unknown key 'presetz' (allowed: description, form, images, layout, name, presets, version)",
                e.problems().get(0).toString());
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        String bad = """
                name: Bad Name
                layout: diagonal
                images:
                  - {key: ct, role: overlay}
                  - {key: ct, role: overlay, colormap: rainbow, opacity: 2}
                form:
                  type: object
                  properties:
                    grade: {type: integer}
                """;
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class, () -> parser.parse(bad, "t.yaml"));
        List<String> lines = e.problems().stream().map(TemplateProblem::toString).toList();
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("t.yaml:1:7: name: use lower-case"), lines.get(0));
        assertTrue(lines.get(1).startsWith("t.yaml:2:9: layout: unknown layout 'diagonal'"), lines.get(1));
        assertTrue(lines.get(2).startsWith("t.yaml:4:21: images[0].role: the first layer is the grey-value image"), lines.get(2));
        assertTrue(lines.get(3).startsWith("t.yaml:5:11: images[1].key: duplicate image key 'ct'"), lines.get(3));
        assertTrue(lines.get(4).startsWith("t.yaml:5:40: images[1].colormap: unknown colour map 'rainbow'"), lines.get(4));
        assertTrue(lines.get(5).startsWith("t.yaml:5:58: images[1].opacity: must be between 0 and 1"), lines.get(5));
    }

    @Test
    void aFormThatIsNotValidJsonSchemaIsRefusedAtTheOffendingValue() {
        String bad = GOOD.replace("grade: {type: integer, minimum: 1, maximum: 5}",
                "grade: {type: integer, minimum: one, maximum: 5}");
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class, () -> parser.parse(bad, "qc.yaml"));
        TemplateProblem p = e.problems().get(0);
        assertEquals("form.properties.grade.minimum", p.path());
        assertEquals(new SourceLocation("qc.yaml", 11, 37), p.where());
        assertTrue(p.message().startsWith("not valid JSON Schema"), p.message());
    }

    @Test
    void aFormFieldTheViewerCannotRenderIsRefused() {
        String bad = GOOD.replace("note: {type: string, maxLength: 20}", "note: {type: object}");
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class, () -> parser.parse(bad, "qc.yaml"));
        assertEquals("qc.yaml:12:11: form.properties.note: a form field needs type string, number, integer, boolean or array",
                e.problems().get(0).toString());
    }

    @Test
    void aRequiredFieldThatIsNotInTheFormIsRefused() {
        String bad = GOOD.replace("required: [grade]", "required: [grade, score]");
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class, () -> parser.parse(bad, "qc.yaml"));
        assertEquals("form.required", e.problems().get(0).path());
        assertTrue(e.problems().get(0).message().contains("'score'"));
    }

    @Test
    void brokenYamlIsReportedWithItsPosition() {
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class,
                () -> parser.parse("name: qc\nimages: [\n", "qc.yaml"));
        assertTrue(e.getMessage().startsWith("qc.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML or JSON"), e.getMessage());
    }

    @Test
    void aResultIsCheckedAgainstTheFormWithTheFieldNamed() throws Exception {
        FormSchema form = parser.parse(GOOD, "qc.yaml").form();
        assertEquals(List.of(), form.validate(json.readTree("{\"grade\": 3, \"note\": \"fine\"}")));
        List<FieldError> missing = form.validate(json.readTree("{\"note\": \"fine\"}"));
        assertEquals("grade", missing.get(0).field());
        List<FieldError> tooBig = form.validate(json.readTree("{\"grade\": 9}"));
        assertEquals("grade", tooBig.get(0).field());
        assertTrue(tooBig.get(0).message().contains("5"), tooBig.get(0).message());
        List<FieldError> wrongType = form.validate(json.readTree("{\"grade\": \"three\"}"));
        assertEquals("grade", wrongType.get(0).field());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
