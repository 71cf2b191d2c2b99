package io.auditrail.embedded.junit;

import java.util.Set;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link EmbeddedKafka}, {@link EmbeddedPostgres} and {@link EmbeddedS3} into test constructors and methods:
 * one shared instance of each per test run, started on first request and stopped when the run ends.
 */
public final class EmbeddedServicesExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedServicesExtension.class);
    private static final Set<Class<?>> SERVICES = Set.of(EmbeddedKafka.class, EmbeddedPostgres.class, EmbeddedS3.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return SERVICES.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the root store lives as long as the whole run and closes its AutoCloseable values when the run ends
        SharedServices services = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedServices.class, type -> new SharedServices(), SharedServices.class);
        return services.get(parameter.getParameter().getType());
    }
}
