package org.cohortflow.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    @Test
    void a_full_file_is_read_with_its_service_settings() {
        ServiceConfig c = ServiceConfig.parse("""
                port: 8081
                data: /tmp/gov
                database: {url: "jdbc:postgresql://db/x", user: gov, password: pw}
                admin: {name: boss, password: long-password}
                settings:
                  spark: {master: "local[2]"}
                """, "gov.yaml", "governor");
        assertEquals(8081, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals(Path.of("/tmp/gov"), c.dataDir());
        assertTrue(c.database().isPostgres());
        assertEquals("boss", c.admin().name());
        assertEquals("local[2]", c.setting("spark.master").orElseThrow());
    }

    @Test
    void defaults_put_an_h2_file_in_the_data_folder() {
        ServiceConfig c = ServiceConfig.parse("port: 0\n", "x.yaml", "tasks").withDataDir(Path.of("/tmp/t"));
        assertEquals("jdbc:h2:async:/tmp/t/db;AUTO_SERVER=FALSE;WRITE_DELAY=0", c.database().url());
        assertEquals("admin", c.admin().name());
    }

    @Test
    void unknown_keys_and_bad_values_are_reported_with_file_line_and_column() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> ServiceConfig.parse("""
                port: eighty
                colour: blue
                database: {url: "mysql://x"}
                """, "bad.yaml", "governor"));
        String m = e.getMessage();
        assertTrue(m.contains("bad.yaml:1:7: 'port'"), m);
        assertTrue(m.contains("bad.yaml:2:1: unknown key 'colour'"), m);
        assertTrue(m.contains("bad.yaml:3:"), m);
        assertEquals(3, e.problems().size(), m);
    }
}
