package io.auditrail.bench.e2e;

import io.auditrail.simulator.PlantedSend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Anomaly to alert: for each planted trigger, the first webhook alert of its rule received after the trigger was
 * written and before the next trigger of the same rule, so each alert is attributed to one plant at most.
 */
public final class AlertLatency {
    /** One plant and, when an alert came, the seconds from its write to the alert's arrival. */
    public record Plant(String rule, Instant sentAt, Optional<Double> seconds) {
    }

    private AlertLatency() {
    }

    public static List<Plant> match(List<PlantedSend> sent, List<WebhookReceiver.Received> received) {
        List<PlantedSend> plants = new ArrayList<>(sent);
        plants.sort(Comparator.comparing(PlantedSend::sentAt));
        List<Plant> out = new ArrayList<>();
        for (int i = 0; i < plants.size(); i++) {
            PlantedSend p = plants.get(i);
            Instant until = Instant.MAX;
            for (int j = i + 1; j < plants.size(); j++) {
                if (plants.get(j).rule().equals(p.rule())) {
                    until = plants.get(j).sentAt();
                    break;
                }
            }
            Instant end = until;
            Optional<Instant> first = received.stream().filter(w -> w.rule().equals(p.rule())
                    && !w.at().isBefore(p.sentAt()) && w.at().isBefore(end))
                    .map(WebhookReceiver.Received::at).min(Instant::compareTo);
            out.add(new Plant(p.rule(), p.sentAt(), first.map(at -> Duration.between(p.sentAt(), at).toNanos() / 1e9)));
        }
        return out;
    }

    /** The q-quantile (nearest rank) of the plants that alerted, NaN when none did. */
    public static double percentile(List<Plant> plants, double q) {
        List<Double> s = plants.stream().flatMap(p -> p.seconds().stream()).sorted().toList();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(q * s.size()) - 1)));
    }
}
