package org.cohortflow.tasks.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cohortflow.tasks.images.DataRoots;
import org.cohortflow.tasks.queue.Task;
import org.cohortflow.tasks.template.TemplateStore;

/** The JSON shapes the API answers with (never the callback secret). */
final class Views {
    private Views() {
    }

    static Map<String, Object> task(Task t, Instant now, DataRoots roots) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("project", t.project());
        m.put("template", t.template());
        m.put("status", t.statusAt(now).id());
        m.put("content", t.content());
        m.put("tags", t.tags());
        m.put("user", t.fixedUser());
        m.put("group", t.fixedGroup());
        m.put("assignee", t.assignee());
        m.put("taskGroup", t.taskGroup());
        m.put("readingSet", t.readingSet());
        m.put("lock", t.activeLock(now).map(l -> Map.of("holder", l.holder(), "expiresAt", l.expiresAt().toString())).orElse(null));
        m.put("draft", t.draft());
        m.put("result", t.result());
        m.put("skipReason", t.skipReason());
        m.put("finishedBy", t.finishedBy());
        m.put("finishedAt", t.finishedAt() == null ? null : t.finishedAt().toString());
        m.put("callbackUrl", t.callbackUrl());
        m.put("createdBy", t.createdBy());
        m.put("createdAt", t.createdAt().toString());
        Map<String, String> links = new LinkedHashMap<>();
        t.content().path("images").properties().forEach(e -> {
            String name;
            try {
                name = roots.resolve(e.getValue().asText()).fileName();
            } catch (IllegalArgumentException gone) {
                // the file vanished or the roots changed since creation: the link still names the key
                name = lastSegment(e.getValue().asText());
            }
            links.put(e.getKey(), "/api/v1/tasks/" + t.id() + "/images/" + enc(e.getKey()) + "/" + enc(name));
        });
        m.put("imageLinks", links);
        return m;
    }

    static Map<String, Object> template(TemplateStore.StoredTemplate s) {
        var t = s.template();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("version", t.version());
        m.put("revision", s.revision());
        m.put("description", t.description());
        m.put("layout", t.layout().id());
        m.put("images", t.images().stream().map(i -> {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("key", i.key());
            layer.put("role", i.role().name().toLowerCase(Locale.ROOT));
            layer.put("colormap", i.colormap());
            layer.put("opacity", i.opacity());
            return layer;
        }).toList());
        m.put("presets", t.presets().stream().map(p -> Map.of("name", p.name(), "window", p.window(), "level", p.level())).toList());
        m.put("form", t.formSchema());
        m.put("updatedBy", s.updatedBy());
        m.put("updatedAt", s.updatedAt().toString());
        m.put("source", t.source());
        return m;
    }

    static Map<String, Object> page(List<Map<String, Object>> items, long total, int page, int size) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("total", total);
        m.put("page", page);
        m.put("size", size);
        return m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The last path segment of a URL, for a link whose location can no longer be checked. */
    private static String lastSegment(String url) {
        String s = url.replaceAll("[?#].*$", "");
        int slash = s.lastIndexOf('/');
        return slash < 0 || slash == s.length() - 1 ? "image" : s.substring(slash + 1);
    }
}
