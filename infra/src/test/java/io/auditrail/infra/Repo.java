package io.auditrail.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The checkout's deployment files, read as text, YAML (anchors and merge keys resolved) or HCL. */
final class Repo {
    static final Path ROOT = findRoot();

    private Repo() {
    }

    private static Path findRoot() {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("infra"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout root (docker-compose.yml + infra/) above " + dir);
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String text(String relative) {
        return text(path(relative));
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Hcl.Block hcl(String relative) {
        return Hcl.parse(text(relative));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        Object doc = newYaml().load(text);
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException("not a YAML mapping");
        }
        return (Map<String, Object>) doc;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : newYaml().loadAll(text)) {
            if (doc instanceof Map) {
                docs.add((Map<String, Object>) doc);
            } else if (doc != null) {
                throw new IllegalArgumentException("a YAML document that is not a mapping");
            }
        }
        return docs;
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    /** Files below {@code relative} (recursively), skipping build output and secrets. */
    static List<Path> files(String relative) {
        try (var stream = Files.walk(path(relative))) {
            return stream.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/secrets/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path p) {
        return ROOT.relativize(p).toString();
    }
}
