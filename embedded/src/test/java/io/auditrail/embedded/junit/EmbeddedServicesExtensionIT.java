package io.auditrail.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedServicesExtensionIT {
    // whichever test runs first records what it got; every other one must get the very same instance
    private static final AtomicReference<EmbeddedKafka> FIRST_KAFKA = new AtomicReference<>();
    private static final AtomicReference<EmbeddedPostgres> FIRST_POSTGRES = new AtomicReference<>();

    private static void assertShared(EmbeddedKafka kafka, EmbeddedPostgres postgres) {
        FIRST_KAFKA.compareAndSet(null, kafka);
        FIRST_POSTGRES.compareAndSet(null, postgres);
        assertThat(kafka).isSameAs(FIRST_KAFKA.get());
        assertThat(postgres).isSameAs(FIRST_POSTGRES.get());
        assertThat(kafka.isRunning()).isTrue();
        assertThat(postgres.isRunning()).isTrue();
    }

    @Test
    void methodParametersAreInjected(EmbeddedKafka kafka, EmbeddedPostgres postgres) throws Exception {
        assertShared(kafka, postgres);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void aSecondMethodGetsTheSameInstances(EmbeddedPostgres postgres, EmbeddedKafka kafka) {
        assertShared(kafka, postgres);
    }

    @Nested
    class ConstructorInjection {
        private final EmbeddedKafka kafka;
        private final EmbeddedPostgres postgres;

        ConstructorInjection(EmbeddedKafka kafka, EmbeddedPostgres postgres) {
            this.kafka = kafka;
            this.postgres = postgres;
        }

        @Test
        void constructorParametersAreTheSameInstances() {
            assertShared(kafka, postgres);
        }
    }

    @Test
    void sharedServicesStartOnlyWhatIsAskedForAndRemoveTheirDirectory() throws Exception {
        SharedServices services = new SharedServices();
        assertThat(services.dataDir()).isNull();
        EmbeddedS3 s3 = (EmbeddedS3) services.get(EmbeddedS3.class);
        assertThat(services.get(EmbeddedS3.class)).isSameAs(s3);
        Path dir = services.dataDir();
        assertThat(dir.resolve("s3")).isDirectory();
        assertThat(dir.resolve("kafka")).doesNotExist();
        assertThat(dir.resolve("postgres")).doesNotExist();
        s3.ensureBucket("auditrail-archive");

        services.close();
        assertThat(s3.isRunning()).isFalse();
        assertThat(dir).doesNotExist();
    }
}
