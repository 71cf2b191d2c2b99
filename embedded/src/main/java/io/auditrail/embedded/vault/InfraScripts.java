package io.auditrail.embedded.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's own Vault configs and operator scripts ({@code infra/vault}), run as an operator runs them: the
 * harness has no second copy of any of them. Found from {@code auditrail.infra.dir} or by walking up from the
 * working directory to the checkout's {@code infra/vault}.
 */
public final class InfraScripts {
    private final Path vaultDir;
    private final Path bao;

    private InfraScripts(Path vaultDir, Path bao) {
        this.vaultDir = vaultDir;
        this.bao = bao;
    }

    public static InfraScripts locate(Path bao) {
        String explicit = System.getProperty("auditrail.infra.dir");
        if (explicit != null) {
            return new InfraScripts(Path.of(explicit).resolve("vault").toAbsolutePath(), bao);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("infra/vault/scripts/bootstrap.sh");
            if (Files.isRegularFile(candidate)) {
                return new InfraScripts(dir.resolve("infra/vault"), bao);
            }
        }
        throw new IllegalStateException("infra/vault not found above " + Path.of("").toAbsolutePath()
                + " (set -Dauditrail.infra.dir=<checkout>/infra)");
    }

    public Path template(String name) {
        return vaultDir.resolve("dev").resolve(name);
    }

    public Path bao() {
        return bao;
    }

    /** Renders a template of infra/vault/dev with render-config.sh, as the compose containers do. */
    public Path render(String template, Path out, Map<String, String> variables) throws IOException {
        run("render-config.sh", List.of(template(template).toString(), out.toString()), variables, 30);
        return out;
    }

    /**
     * Runs {@code infra/vault/scripts/<script>} with the given environment on top of this process's (BAO_BINARY
     * set, so lib.sh drives {@code bao}); returns its standard output, or fails with its standard error.
     */
    public String run(String script, List<String> args, Map<String, String> env, int timeoutSeconds)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", vaultDir.resolve("scripts").resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("BAO_BINARY", bao.toString());
        pb.environment().put("VAULT_CLI", bao.toString());
        // an operator's own BAO_*/VAULT_* must not point the scripts at another cluster
        for (String name : List.of("BAO_ADDR", "BAO_TOKEN", "BAO_CACERT", "VAULT_ADDR", "VAULT_TOKEN", "VAULT_CACERT")) {
            pb.environment().remove(name);
        }
        pb.environment().putAll(env);
        Path err = Files.createTempFile("auditrail-script", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(script + " did not finish in " + timeoutSeconds + " s: " + Files.readString(err));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(script + " interrupted", e);
        }
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new IOException(script + " exited " + p.exitValue() + ":\n" + stderr);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
