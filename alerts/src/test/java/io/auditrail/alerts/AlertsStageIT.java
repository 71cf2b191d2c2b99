package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.stage.StageRecords;
import io.auditrail.core.testing.StageBalance;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.index.DatabaseRoles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AlertsStageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("PD_KEY", "R0UT1NGKEY");

    @TempDir
    Path dir;

    @Test
    void eachFormatIsDeliveredWithItsExactPayloadAndRecorded(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        try (WebhookServer server = new WebhookServer()) {
            String hook = server.path("/hook", n -> 200);
            String slack = server.path("/slack", n -> 200);
            String pd = server.path("/pd", n -> 202);
            f.targets("""
                    {"targets": [{"name": "hook", "type": "webhook", "url": "%s"},
                                 {"name": "slack", "type": "slack", "url": "%s"},
                                 {"name": "pd", "type": "pagerduty", "url": "%s", "routing_key_env": "PD_KEY"}],
                     "routes": [{"targets": ["hook", "slack", "pd"]}]}""".formatted(hook, slack, pd));
            Anomaly a = Anomalies.critical("ev-shape");
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(stage::isReady);
                Thread.sleep(1000); // let the consumer join its group and get its partitions
                long sent = System.nanoTime();
                f.produce(List.of(a));
                await().atMost(WAIT).until(() -> f.committed(f.name) == 1);
                long millis = (server.received("/pd").get(0).atNanos() - sent) / 1_000_000;
                System.out.println("anomaly produced -> PagerDuty request received: " + millis + " ms");
                assertThat(millis).as("anomalies reach people within seconds").isLessThan(5000);
                assertThat(stage.isReady()).isTrue();
                assertThat(stage.metrics().lagRecords()).isZero();
                assertThat(stage.metrics().outcomes("pd", AlertsMetrics.Outcome.DELIVERED)).isEqualTo(1);
                assertThat(stage.metrics().records().total(StageRecords.Outcome.SENT)).isEqualTo(1);
                StageBalance.assertBalanced(stage.metrics().records());
            }
            Notification n = new Notification(a, 0);
            assertThat(only(server, "/hook")).isEqualTo(expected(TargetType.WEBHOOK, n, null));
            assertThat(only(server, "/slack")).isEqualTo(expected(TargetType.SLACK, n, null));
            assertThat(only(server, "/pd")).isEqualTo(expected(TargetType.PAGERDUTY, n, "R0UT1NGKEY"));
            assertThat(JSON.readTree(server.received("/pd").get(0).body()).get("dedup_key").asText())
                    .isEqualTo(a.anomalyId());
            assertThat(server.received("/hook").get(0).contentType()).isEqualTo("application/json");
            assertThat(server.received("/hook").get(0).userAgent()).isEqualTo("auditrail-alerts");
            try (HikariDataSource ds = f.pool()) {
                List<AlertDelivery> rows = new AlertDeliveries(ds).byAnomaly(a.anomalyId());
                assertThat(rows).extracting(AlertDelivery::target, AlertDelivery::status, AlertDelivery::attempts,
                        AlertDelivery::lastHttpStatus).containsExactly(
                        tuple("hook", DeliveryStatus.DELIVERED, 1, 200),
                        tuple("pd", DeliveryStatus.DELIVERED, 1, 202),
                        tuple("slack", DeliveryStatus.DELIVERED, 1, 200));
                assertThat(rows).allSatisfy(r -> {
                    assertThat(r.lastError()).isNull();
                    assertThat(r.firstAttemptAt()).isNotNull().isBeforeOrEqualTo(r.finishedAt());
                    assertThat(r.tenantId()).isEqualTo("acme");
                    assertThat(r.severity()).isEqualTo("critical");
                });
            }
        }
    }

    @Test
    void aStageWhoseDeliveryThreadStoppedIsNotReady(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        try (WebhookServer server = new WebhookServer()) {
            f.targets("""
                    {"targets": [{"name": "hook", "type": "webhook", "url": "%s"}],
                     "routes": [{"targets": ["hook"]}]}""".formatted(server.path("/hook", n -> 200)));
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(stage::isReady);
                // the loop still polls: only the thread that delivers to this target is gone
                stage.worker("hook").close();
                assertThat(stage.notReadyReason()).isEqualTo("the delivery thread of target hook stopped; see the log");
            }
        }
    }

    @Test
    void aDeliveryRefusedWithA500IsRetriedUntilItSucceeds(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        try (WebhookServer server = new WebhookServer()) {
            String flaky = server.path("/flaky", n -> n < 2 ? 500 : 200);
            f.targets("""
                    {"targets": [{"name": "flaky", "type": "webhook", "url": "%s"}],
                     "routes": [{"targets": ["flaky"]}]}""".formatted(flaky));
            Anomaly a = Anomalies.critical("ev-retry");
            f.produce(List.of(a));
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> f.committed(f.name) == 1);
                assertThat(stage.metrics().attempts("flaky", AlertsMetrics.AttemptResult.RETRYABLE)).isEqualTo(2);
                assertThat(stage.metrics().attempts("flaky", AlertsMetrics.AttemptResult.OK)).isEqualTo(1);
            }
            List<WebhookServer.Received> got = server.received("/flaky");
            assertThat(got).hasSize(3);
            assertThat(got).extracting(WebhookServer.Received::text).containsOnly(got.get(0).text());
            // back-off between attempts: at least half the 50 ms base, then half the 100 ms base
            assertThat(got.get(1).atNanos() - got.get(0).atNanos()).isGreaterThanOrEqualTo(25_000_000L);
            assertThat(got.get(2).atNanos() - got.get(1).atNanos()).isGreaterThanOrEqualTo(50_000_000L);
            try (HikariDataSource ds = f.pool()) {
                AlertDelivery row = new AlertDeliveries(ds).byAnomaly(a.anomalyId()).get(0);
                assertThat(row.status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(row.attempts()).isEqualTo(3);
                assertThat(row.lastHttpStatus()).isEqualTo(200);
            }
        }
    }

    @Test
    void deadTargetsAreGivenUpOnWhileAnotherGetsItsDeliveriesPromptly(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        f.settings.put(AlertsConfig.GIVE_UP_AFTER_MS, "4000");
        f.settings.put(AlertsConfig.THROTTLE_WINDOW_MS, "0");
        try (WebhookServer server = new WebhookServer()) {
            String good = server.path("/good", n -> 200);
            String dead = server.path("/dead", n -> 500);
            f.targets("""
                    {"targets": [{"name": "dead", "type": "webhook", "url": "%s"},
                                 {"name": "refused", "type": "slack", "url": "%s"},
                                 {"name": "good", "type": "webhook", "url": "%s"}],
                     "routes": [{"targets": ["dead", "refused", "good"]}]}"""
                    .formatted(dead, WebhookServer.refusingUrl(), good));
            List<Anomaly> anomalies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                anomalies.add(Anomalies.of("root_token_use", Severity.HIGH, "acme", "entity:e-" + i, "ev-dead-" + i));
            }
            f.produce(anomalies);
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> server.received("/good").size() == 5);
                // all five went to the good target while the dead ones still retried: none given up yet
                assertThat(stage.metrics().outcomes("dead", AlertsMetrics.Outcome.GAVE_UP)).isZero();
                assertThat(stage.metrics().outcomes("refused", AlertsMetrics.Outcome.GAVE_UP)).isZero();
                assertThat(f.committed(f.name)).isZero(); // nothing acknowledged before every target is done
                await().atMost(WAIT).until(() -> f.committed(f.name) == 5);
                assertThat(stage.metrics().outcomes("good", AlertsMetrics.Outcome.DELIVERED)).isEqualTo(5);
                assertThat(stage.metrics().outcomes("dead", AlertsMetrics.Outcome.GAVE_UP)).isEqualTo(5);
                assertThat(stage.metrics().outcomes("refused", AlertsMetrics.Outcome.GAVE_UP)).isEqualTo(5);
                assertThat(stage.metrics().attempts("refused", AlertsMetrics.AttemptResult.RETRYABLE)).isPositive();
                // each record: delivered to one target, given up at two
                assertThat(stage.metrics().records().total(StageRecords.Outcome.DROPPED, "gave_up")).isEqualTo(5);
                StageBalance.assertBalancedWithDrops(stage.metrics().records());
            }
            assertThat(server.received("/dead")).isNotEmpty();
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'dead' AND status = 'gave_up' "
                    + "AND last_error LIKE '%HTTP 500%'")).isEqualTo(5);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'refused' AND status = 'gave_up' "
                    + "AND last_error LIKE '%ConnectException%' AND last_http_status IS NULL")).isEqualTo(5);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'good' AND status = 'delivered'"))
                    .isEqualTo(5);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE last_error LIKE '%127.0.0.1%'")).isZero();
        }
    }

    @Test
    void aRefusedPayloadIsGivenUpAtOnceAndAFullQueueGivesUpWithoutWaiting(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        f.settings.put(AlertsConfig.THROTTLE_WINDOW_MS, "0");
        f.settings.put(AlertsConfig.TARGET_QUEUE_MAX, "2");
        f.settings.put(AlertsConfig.GIVE_UP_AFTER_MS, "60000");
        try (WebhookServer server = new WebhookServer()) {
            String bad = server.path("/bad", n -> 400);
            String slow = server.path("/slow", n -> 503);
            f.targets("""
                    {"targets": [{"name": "bad", "type": "webhook", "url": "%s"},
                                 {"name": "slow", "type": "webhook", "url": "%s"}],
                     "routes": [{"rules": ["policy_change"], "targets": ["bad"]},
                                {"rules": ["root_token_use"], "targets": ["slow"]}]}""".formatted(bad, slow));
            List<Anomaly> anomalies = new ArrayList<>();
            anomalies.add(Anomalies.of("policy_change", Severity.MEDIUM, "acme", "entity:p", "ev-bad"));
            for (int i = 0; i < 5; i++) {
                anomalies.add(Anomalies.of("root_token_use", Severity.HIGH, "acme", "entity:r" + i, "ev-slow-" + i));
            }
            f.produce(anomalies);
            try (AlertsStage stage = f.start(ENV)) {
                // the 400 is final at the first answer; 3 of the 5 for the failing target found its queue full
                await().atMost(WAIT).until(() -> stage.metrics().outcomes("bad", AlertsMetrics.Outcome.GAVE_UP) == 1
                        && stage.metrics().outcomes("slow", AlertsMetrics.Outcome.GAVE_UP) == 3);
                assertThat(stage.metrics().attempts("bad", AlertsMetrics.AttemptResult.REJECTED)).isEqualTo(1);
            }
            assertThat(server.received("/bad")).hasSize(1);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'bad' AND status = 'gave_up' "
                    + "AND attempts = 1 AND last_http_status = 400 AND last_error LIKE 'HTTP 400%'")).isEqualTo(1);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'slow' AND status = 'gave_up' "
                    + "AND attempts = 0 AND last_error LIKE 'target queue full%'")).isEqualTo(3);
            // the two queued ones were never finished: their offsets stay uncommitted and they are read again
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'slow'")).isEqualTo(3);
        }
    }

    @Test
    void aHundredFiringsOfOneRuleAndActorMakeOnePage(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        try (WebhookServer server = new WebhookServer()) {
            String hook = server.path("/hook", n -> 200);
            f.targets("""
                    {"targets": [{"name": "hook", "type": "webhook", "url": "%s"}],
                     "routes": [{"targets": ["hook"]}]}""".formatted(hook));
            List<Anomaly> firings = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                firings.add(Anomalies.of("secret_enumeration", Severity.MEDIUM, "acme", "entity:scraper", "ev-" + i));
            }
            // one partition key for all: the order of the firings is the order they are consumed in
            f.produce(firings);
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> f.committed(f.name) == 100);
                assertThat(stage.metrics().outcomes("hook", AlertsMetrics.Outcome.DELIVERED)).isEqualTo(1);
                assertThat(stage.metrics().outcomes("hook", AlertsMetrics.Outcome.THROTTLED)).isEqualTo(99);
                assertThat(stage.metrics().records().total(StageRecords.Outcome.SKIPPED, "throttled")).isEqualTo(99);
                StageBalance.assertBalanced(stage.metrics().records());
            }
            assertThat(server.received("/hook")).hasSize(1);
            assertThat(JSON.readTree(server.received("/hook").get(0).body()).at("/anomaly/anomaly_id").asText())
                    .isEqualTo(firings.get(0).anomalyId());
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE status = 'throttled'")).isEqualTo(99);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE status = 'delivered'")).isEqualTo(1);
        }
    }

    @Test
    void reConsumingUnderANewGroupSendsNothingTwice(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        f.settings.put(AlertsConfig.THROTTLE_WINDOW_MS, "0");
        try (WebhookServer server = new WebhookServer()) {
            String hook = server.path("/hook", n -> 200);
            f.targets("""
                    {"targets": [{"name": "hook", "type": "webhook", "url": "%s"}],
                     "routes": [{"targets": ["hook"]}]}""".formatted(hook));
            List<Anomaly> anomalies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                anomalies.add(Anomalies.of("policy_change", Severity.MEDIUM, "acme", "entity:e-" + i, "ev-" + i));
            }
            Anomaly revised = Anomalies.revised(anomalies.get(0), 2, 7);
            List<Anomaly> stream = new ArrayList<>(anomalies);
            stream.add(anomalies.get(3)); // the same record twice on the topic
            stream.add(revised);          // a new revision is a new delivery
            f.produce(stream);
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> f.committed(f.name) == 12);
                assertThat(stage.metrics().outcomes("hook", AlertsMetrics.Outcome.DELIVERED)).isEqualTo(11);
                assertThat(stage.metrics().outcomes("hook", AlertsMetrics.Outcome.DUPLICATE)).isEqualTo(1);
            }
            assertThat(server.received("/hook")).hasSize(11);

            String again = f.name + "-again";
            f.settings.put(AlertsConfig.CONSUMER_GROUP, again);
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> f.committed(again) == 12);
                assertThat(stage.metrics().outcomes("hook", AlertsMetrics.Outcome.DUPLICATE)).isEqualTo(12);
                assertThat(stage.metrics().outcomes("hook", AlertsMetrics.Outcome.DELIVERED)).isZero();
            }
            assertThat(server.received("/hook")).hasSize(11);
            assertThat(f.count("SELECT count(*) FROM alert_delivery")).isEqualTo(11);
        }
    }

    @Test
    void replayedAnomaliesAreSkippedAndCounted(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        try (WebhookServer server = new WebhookServer()) {
            String hook = server.path("/hook", n -> 200);
            f.targets("""
                    {"targets": [{"name": "hook", "type": "webhook", "url": "%s"}],
                     "routes": [{"min_severity": "high", "targets": ["hook"]}]}""".formatted(hook));
            Anomaly replayed = Anomalies.critical("ev-replayed");
            Anomaly live = Anomalies.of("root_token_use", Severity.HIGH, "acme", "entity:root", "ev-live");
            Anomaly quiet = Anomalies.of("off_hours_access", Severity.LOW, "acme", "entity:night", "ev-quiet");
            ProducerRecord<byte[], byte[]> replay = new ProducerRecord<>(f.topics.anomalies(),
                    "acme".getBytes(StandardCharsets.UTF_8), AnomalyCodec.toBytes(replayed));
            replay.headers().add(RecordHeaders.REPLAY_ORIGIN, "0/1234".getBytes(StandardCharsets.UTF_8));
            f.produce(List.of(replay,
                    new ProducerRecord<>(f.topics.anomalies(), "acme".getBytes(StandardCharsets.UTF_8),
                            AnomalyCodec.toBytes(live)),
                    new ProducerRecord<>(f.topics.anomalies(), "acme".getBytes(StandardCharsets.UTF_8),
                            AnomalyCodec.toBytes(quiet)),
                    new ProducerRecord<>(f.topics.anomalies(), "acme".getBytes(StandardCharsets.UTF_8),
                            "{\"not\": \"an anomaly\"}".getBytes(StandardCharsets.UTF_8))));
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> f.committed(f.name) == 4);
                AlertsMetrics m = stage.metrics();
                assertThat(m.receivedCount()).isEqualTo(4);
                assertThat(m.skippedCount(AlertsMetrics.SkipReason.REPLAY)).isEqualTo(1);
                assertThat(m.skippedCount(AlertsMetrics.SkipReason.UNROUTED)).isEqualTo(1);
                assertThat(m.skippedCount(AlertsMetrics.SkipReason.NOT_AN_ANOMALY)).isEqualTo(1);
                assertThat(m.outcomes("hook", AlertsMetrics.Outcome.DELIVERED)).isEqualTo(1);
                StageBalance.assertBalanced(m.records());
            }
            assertThat(server.received("/hook")).hasSize(1);
            assertThat(JSON.readTree(server.received("/hook").get(0).body()).at("/anomaly/anomaly_id").asText())
                    .isEqualTo(live.anomalyId());
            try (HikariDataSource ds = f.pool()) {
                assertThat(new AlertDeliveries(ds).byAnomaly(replayed.anomalyId()))
                        .extracting(AlertDelivery::status).containsExactly(DeliveryStatus.SKIPPED);
            }
        }
    }

    @Test
    void withoutTheDeliveryTableTheStageWaitsNotReadyAndSaysWhy(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        f.execute("DROP TABLE alert_delivery");
        try (WebhookServer server = new WebhookServer()) {
            String hook = server.path("/hook", n -> 200);
            f.targets("""
                    {"targets": [{"name": "hook", "type": "webhook", "url": "%s"}],
                     "routes": [{"targets": ["hook"]}]}""".formatted(hook));
            f.produce(List.of(Anomalies.critical("ev-schema")));
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> stage.notReadyReason() != null
                        && stage.notReadyReason().contains("auditrail migrate"));
                Thread.sleep(500);
                assertThat(server.received("/hook")).isEmpty(); // nothing is sent that could not be recorded
                f.execute(Files.readString(Path.of("..", "sql", "V3__alert_delivery.sql")));
                // and its privileges for the stage's role, as V23 grants them (a dropped table takes them along)
                f.execute("GRANT SELECT, INSERT, UPDATE (status, attempts, last_http_status, last_error, "
                        + "first_attempt_at, finished_at) ON alert_delivery TO " + DatabaseRoles.ALERTS);
                await().atMost(WAIT).until(() -> f.committed(f.name) == 1);
                assertThat(stage.isReady()).isTrue();
            }
            assertThat(server.received("/hook")).hasSize(1);
        }
    }

    /** Issue 17, item 15: a display name is whatever a token holder chose (token create -display-name=...). */
    @Test
    void aHostileDisplayNameReachesSlackAsInertText(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        try (WebhookServer server = new WebhookServer()) {
            String slack = server.path("/slack", n -> 200);
            f.targets("""
                    {"targets": [{"name": "slack", "type": "slack", "url": "%s"}],
                     "routes": [{"targets": ["slack"]}]}""".formatted(slack));
            String hostile = "<!channel> <https://x|re-auth>";
            Anomaly base = Anomalies.critical("ev-hostile");
            Anomaly a = new Anomaly(base.schema(), base.anomalyId(), base.rule(), base.severity(), base.tenantId(),
                    base.actor(), hostile, base.remoteAddress(), base.eventIds(), base.windowStart(), base.windowEnd(),
                    1, 1, "read secret/data/tenants/b/<@U024BE7LH>");
            f.produce(List.of(a));
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> f.committed(f.name) == 1);
            }
            JsonNode body = only(server, "/slack");
            String text = body.get("text").asText();
            // Slack's mentions and links all need an angle bracket: none is left, the words are still there
            assertThat(text).doesNotContain("<", ">").contains("&lt;!channel&gt; &lt;https://x|re-auth&gt;")
                    .contains("&lt;@U024BE7LH&gt;");
            List<String> mrkdwn = new ArrayList<>();
            body.get("blocks").findParents("type").forEach(n -> {
                if (n.path("type").asText().equals("mrkdwn") || n.path("type").asText().equals("plain_text")) {
                    mrkdwn.add(n.path("text").asText());
                }
            });
            assertThat(mrkdwn).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain("<!", "<@", "<http"));
            assertThat(mrkdwn).anySatisfy(t -> assertThat(t).contains("&lt;!channel&gt;"));
        }
    }

    /** Issue 17, item 16: a Slack webhook URL is a credential; a target that echoes it must not get it logged or stored. */
    @Test
    void aFailingTargetsUrlReachesNeitherTheLogNorTheDeliveryTable(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        f.settings.put(AlertsConfig.GIVE_UP_AFTER_MS, "3000");
        f.settings.put(AlertsConfig.THROTTLE_WINDOW_MS, "0");
        String token = "S3cr3tW3bh00kT0k3nXyz";
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try (WebhookServer server = new WebhookServer()) {
            String rejecting = server.echoing("/services/T0AAAA/B0BBBB/" + token, 404);
            String failing = server.echoing("/retry/" + token + "/hook", 503);
            String refused = WebhookServer.refusingUrl() + "/" + token;
            f.targets("""
                    {"targets": [{"name": "rejecting", "type": "slack", "url": "%s"},
                                 {"name": "failing", "type": "webhook", "url": "%s"},
                                 {"name": "refused", "type": "webhook", "url": "%s"}],
                     "routes": [{"targets": ["rejecting", "failing", "refused"]}]}"""
                    .formatted(rejecting, failing, refused));
            f.produce(List.of(Anomalies.critical("ev-url-1"), Anomalies.of("root_token_use", Severity.HIGH, "acme",
                    "entity:x", "ev-url-2")));
            try (AlertsStage stage = f.start(ENV)) {
                await().atMost(WAIT).until(() -> f.committed(f.name) == 2);
                assertThat(stage.metrics().outcomes("failing", AlertsMetrics.Outcome.GAVE_UP)).isEqualTo(2);
            }
            // the servers did echo the URL: what kept it out is the redaction
            assertThat(server.received("/services/T0AAAA/B0BBBB/" + token)).hasSize(2);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'rejecting' "
                    + "AND last_error LIKE 'HTTP 404: Cannot POST <target url>%'")).isEqualTo(2);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE target = 'failing' "
                    + "AND last_error LIKE '%HTTP 503: Cannot POST <target url>%'")).isEqualTo(2);
            assertThat(f.count("SELECT count(*) FROM alert_delivery WHERE last_error LIKE '%" + token + "%'"))
                    .isZero();
            assertThat(f.count("SELECT count(*) FROM alert_delivery")).isEqualTo(6);
        } finally {
            root.detachAppender(log);
        }
        assertThat(log.list).isNotEmpty();
        assertThat(log.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).contains(token));
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("gave up", "failing"));
    }

    private static JsonNode only(WebhookServer server, String path) throws Exception {
        assertThat(server.received(path)).hasSize(1);
        return JSON.readTree(server.received(path).get(0).body());
    }

    private static JsonNode expected(TargetType type, Notification n, String key)
            throws Exception {
        return JSON.readTree(AlertPayloads.render(new Target("x", type, URI.create("http://127.0.0.1:1/"), key), n));
    }
}
