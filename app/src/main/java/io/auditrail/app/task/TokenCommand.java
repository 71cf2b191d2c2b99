package io.auditrail.app.task;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Role;
import io.auditrail.reports.token.TokenInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code auditrail token}: API tokens (shown once, stored as SHA-256 only). */
@Command(name = "token", mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class},
        description = {"Create, list and revoke the bearer tokens of the HTTP API and console. Roles: admin, "
                + "compliance (all tenants), auditor (the tenants named with --tenant).",
                "Settings: postgres.*, reports.token.default.ttl.days (docs/CONFIG.md)."})
public final class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: create, list or revoke");
    }

    /** {@code auditrail token create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it once; only its hash is stored.")
    static final class Create implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "What the token is for, e.g. 'Q3 audit, Jane Doe'.")
        String name;

        @Option(names = "--role", required = true, description = "admin, compliance or auditor.")
        String role;

        @Option(names = "--tenant", paramLabel = "TENANT",
                description = "A tenant an auditor token may see (repeatable; auditors only).")
        List<String> tenants = new ArrayList<>();

        @Option(names = "--ttl-days", paramLabel = "DAYS",
                description = "Lifetime in days (default: reports.token.default.ttl.days).")
        Integer ttlDays;

        @Override
        public Integer call() {
            Role parsed;
            try {
                parsed = Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (ttlDays != null && ttlDays <= 0) {
                throw new ParameterException(spec.commandLine(), "--ttl-days must be positive");
            }
            try (ReportsApi api = ReportsApi.open(common.settings(), new SimpleMeterRegistry())) {
                Duration ttl = ttlDays == null ? api.tokenDefaultTtl() : Duration.ofDays(ttlDays);
                CreatedToken t;
                try {
                    t = api.tokens().create(name, parsed, new LinkedHashSet<>(tenants), ttl, "cli");
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                PrintWriter out = spec.commandLine().getOut();
                out.printf("token %s (%s%s), expires %s%n", t.tokenId(), t.role().dbName(),
                        t.tenants().isEmpty() ? "" : " of " + String.join(", ", t.tenants()), t.expiresAt());
                out.println(t.bearer());
                out.println("This is the only time the token is shown: only its SHA-256 is stored.");
                return ExitCode.OK;
            }
        }
    }

    /** {@code auditrail token list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List every token (never the token itself): id, name, role, tenants, state.")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (ReportsApi api = ReportsApi.open(common.settings(), new SimpleMeterRegistry())) {
                PrintWriter out = spec.commandLine().getOut();
                Instant now = Instant.now();
                out.printf("%-21s %-10s %-8s %-24s %-20s %s%n", "TOKEN", "ROLE", "STATE", "EXPIRES", "TENANTS", "NAME");
                for (TokenInfo t : api.tokens().list()) {
                    String state = t.revokedAt() != null ? "revoked" : t.activeAt(now) ? "active" : "expired";
                    out.printf("%-21s %-10s %-8s %-24s %-20s %s%n", t.tokenId(), t.role().dbName(), state,
                            t.expiresAt(), t.tenants().isEmpty() ? "*" : String.join(",", t.tenants()), t.name());
                }
                return ExitCode.OK;
            }
        }
    }

    /** {@code auditrail token revoke}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token at once; it stays listed as revoked.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TOKEN_ID", description = "The token's id (tok_...), as 'token list' shows it.")
        String tokenId;

        @Override
        public Integer call() {
            try (ReportsApi api = ReportsApi.open(common.settings(), new SimpleMeterRegistry())) {
                if (!api.tokens().revoke(tokenId)) {
                    spec.commandLine().getErr().println("auditrail: no active token " + tokenId);
                    return ExitCode.FAILURE;
                }
                spec.commandLine().getOut().println("revoked " + tokenId);
                return ExitCode.OK;
            }
        }
    }
}
