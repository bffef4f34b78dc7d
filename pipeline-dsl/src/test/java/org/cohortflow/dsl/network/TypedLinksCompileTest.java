package org.cohortflow.dsl.network;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed Java API: compatible links compile, incompatible ones do not. */
class TypedLinksCompileTest {

    private static String program(String linkLine) {
        return """
                import org.cohortflow.dsl.network.*;
                import org.cohortflow.dsl.tools.basic.BasicTools;
                import org.cohortflow.dsl.types.BuiltinTypes;
                class Snippet {
                    void build() {
                        NetworkBuilder net = Network.builder("n");
                        Producer<Long> ints = net.source("ints", BuiltinTypes.INT);
                        Producer<Double> floats = net.source("floats", BuiltinTypes.FLOAT);
                        NetworkBuilder.NodeHandle sum = net.node("sum", BasicTools.SUM);
                        NetworkBuilder.NodeHandle add = net.node("add", BasicTools.ADD_INT);
                        %s
                    }
                }
                """.formatted(linkLine);
    }

    private static String compile(Path dir, String source) throws Exception {
        Path file = dir.resolve("Snippet.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        String classes = Path.of(BuiltinTypes.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-classpath", classes, "-d", dir.toString()), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
        return ok ? "" : errors.toString();
    }

    @Test
    void anIntSourceLinksToAnIntInputAndToANumberInput(@TempDir Path dir) throws Exception {
        assertTrue(compile(dir, program("add.in(BasicTools.LEFT).from(ints); sum.in(BasicTools.VALUES).from(floats).from(ints);"))
                .isEmpty());
    }

    @Test
    void aFloatSourceDoesNotCompileIntoAnIntInput(@TempDir Path dir) throws Exception {
        String errors = compile(dir, program("add.in(BasicTools.LEFT).from(floats);"));
        assertFalse(errors.isEmpty(), "linking Float into Int compiled");
        assertTrue(errors.contains("incompatible types") || errors.contains("cannot be applied"), errors);
    }
}
