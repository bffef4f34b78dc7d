package org.cohortflow.dsl.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypeRegistryTest {
    private final TypeRegistry types = TypeRegistry.load();

    private DataType t(String name) {
        return types.find(name).orElseThrow();
    }

    @Test
    void builtinTypesAreFoundThroughServiceLoader() {
        assertTrue(types.names().containsAll(List.of("Int", "Float", "Bool", "String", "Json", "Number", "File",
                "TextFile", "CsvFile", "JsonFile", "Directory")));
    }

    @Test
    void aTypeIsAssignableToItselfAndToTheGroupsItBelongsTo() {
        assertTrue(types.isAssignable(t("Int"), t("Int")));
        assertTrue(types.isAssignable(t("Int"), t("Number")));
        assertTrue(types.isAssignable(t("Float"), t("Number")));
        assertTrue(types.isAssignable(t("CsvFile"), t("File")));
    }

    @Test
    void aGroupIsNotAssignableToOneOfItsMembersNorSiblingsToEachOther() {
        assertFalse(types.isAssignable(t("Number"), t("Int")));
        assertFalse(types.isAssignable(t("Int"), t("Float")));
        assertFalse(types.isAssignable(t("CsvFile"), t("TextFile")));
        assertFalse(types.isAssignable(t("Int"), t("File")));
    }

    @Test
    void groupsNestAndAGroupFitsWhereAllItsMembersFit() {
        TypeRegistry r = TypeRegistry.of(List.of(
                TypeGroup.of("Image", "images", Object.class, "Data"),
                TypeGroup.of("Data", "all data", Object.class),
                ValueType.object("Nifti", "nifti", Object.class, "Image"),
                ValueType.object("Dicom", "dicom", Object.class, "Image")));
        DataType image = r.find("Image").orElseThrow();
        assertTrue(r.isAssignable(r.find("Nifti").orElseThrow(), r.find("Data").orElseThrow()));
        assertTrue(r.isAssignable(image, r.find("Data").orElseThrow()));
        assertEquals(2, r.membersOf("Image").size());
    }

    @Test
    void literalsAreParsedWithAClearMessageWhenInvalid() {
        ValueType i = (ValueType) t("Int");
        assertEquals(42L, i.parse("42"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> i.parse("4.2"));
        assertEquals("'4.2' is not an integer", e.getMessage());
        assertEquals(true, ((ValueType) t("Bool")).parse("yes"));
        assertTrue(Double.isNaN((Double) ((ValueType) t("Float")).parse(".nan")));
    }

    @Test
    void fileTypesValidateNameAndContent(@TempDir Path dir) throws Exception {
        FileType json = (FileType) t("JsonFile");
        Path good = Files.writeString(dir.resolve("a.json"), "{\"x\": 1}");
        Path bad = Files.writeString(dir.resolve("b.json"), "{x: ");
        Path wrongName = Files.writeString(dir.resolve("c.txt"), "{}");
        json.validate(good);
        assertTrue(assertThrows(InvalidFileException.class, () -> json.validate(bad)).getMessage()
                .startsWith(bad + ": is not valid JSON"));
        assertEquals(wrongName + ": name does not end with .json (expected JsonFile)",
                assertThrows(InvalidFileException.class, () -> json.validate(wrongName)).getMessage());
    }

    @Test
    void contentHashChangesWithContentAndCoversWholeFolders(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "one");
        String h1 = FileType.contentHash(f);
        Files.writeString(f, "two");
        String h2 = FileType.contentHash(f);
        assertFalse(h1.equals(h2));
        assertEquals(64, h1.length());
        String d1 = FileType.contentHash(dir);
        Files.writeString(dir.resolve("b.txt"), "more");
        assertFalse(d1.equals(FileType.contentHash(dir)));
    }
}
