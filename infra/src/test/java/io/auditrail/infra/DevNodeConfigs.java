package io.auditrail.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compose nodes' configs as each container renders them: infra/vault/dev/node.hcl.tmpl with the service's
 * environment (what render-config.sh does), followed by common.hcl. The same template serves the process-level
 * cluster, so these checks cover both.
 */
final class DevNodeConfigs {
    static final String TEMPLATE = "infra/vault/dev/node.hcl.tmpl";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private DevNodeConfigs() {
    }

    /** Node name to rendered text, for the compose services vault-1..3. */
    static Map<String, String> renderedTexts() {
        Map<String, Object> services = Y.map(Repo.yaml(Repo.text("docker-compose.yml")), "services");
        String template = Repo.text(TEMPLATE);
        String common = Repo.text("infra/vault/dev/common.hcl");
        Map<String, String> nodes = new LinkedHashMap<>();
        services.keySet().stream().filter(s -> s.matches("vault-\\d+")).sorted().forEach(node ->
                nodes.put(node, render(template, Invariants.env(services.get(node))) + "\n" + common));
        return nodes;
    }

    static Map<String, Hcl.Block> parsed(Map<String, String> texts) {
        Map<String, Hcl.Block> nodes = new LinkedHashMap<>();
        texts.forEach((node, text) -> nodes.put(node, Hcl.parse(text)));
        return nodes;
    }

    /** As render-config.sh: every placeholder from {@code env}, an unset one is an error naming it. */
    static String render(String template, Map<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
