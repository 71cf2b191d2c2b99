package io.auditrail.app.simulate;

import io.auditrail.simulator.TenantProfileRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts the simulator's tenant directory records (office hours and the like, which some rules need) on the tenant
 * directory topic before the traffic starts, as an operator's directory sync would.
 */
final class TenantDirectoryPublisher {
    private TenantDirectoryPublisher() {
    }

    static void publish(String bootstrapServers, String topic, List<TenantProfileRecord> records)
            throws InterruptedException, ExecutionException {
        if (records.isEmpty()) {
            return;
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "auditrail-simulate-directory"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TenantProfileRecord r : records) {
                producer.send(new ProducerRecord<>(topic, r.tenantId(), r.value())).get();
            }
        }
    }
}
