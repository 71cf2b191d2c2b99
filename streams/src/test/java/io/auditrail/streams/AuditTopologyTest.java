package io.auditrail.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.streams.rules.RuleBook;
import io.auditrail.streams.tenant.TenantProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology in a driver: pairing, routing, and for each rule one case that fires and a close one that must not. */
class AuditTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z"); // a Monday

    @TempDir
    Path state;

    private TopologyHarness harness;

    private TopologyHarness topology() {
        return topology(RuleBook.defaults());
    }

    private TopologyHarness topology(RuleBook rules) {
        harness = new TopologyHarness(state, rules);
        return harness;
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static List<String> rules(List<Anomaly> anomalies) {
        return anomalies.stream().map(Anomaly::rule).toList();
    }

    @Test
    void requestAndResponseAreBothEmittedAndTheRequestCarriesTheResponsesOutcome() {
        var t = topology();
        t.pipePair("r-1", AuditLine.of("r-1").tenant("a").op("read", "secret/data/tenants/a/db")
                .error("permission denied"), T0);
        List<TestRecord<String, PairedEvent>> out = t.events.readRecordsToList();
        assertThat(out).hasSize(2);
        PairedEvent request = out.get(0).value();
        PairedEvent response = out.get(1).value();
        assertThat(out.get(0).key()).isEqualTo("a");
        assertThat(request.event().type()).isEqualTo("request");
        assertThat(request.pairing().status()).isEqualTo(PairingStatus.PAIRED);
        assertThat(request.pairing().responseOutcome()).isEqualTo(Outcome.DENIED);
        assertThat(request.pairing().counterpartEventId()).isEqualTo(response.event().eventId());
        assertThat(response.pairing().counterpartEventId()).isEqualTo(request.event().eventId());
        assertThat(request.event().source()).isNotNull();
        assertThat(t.anomalies.isEmpty()).isTrue();
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void aLineThatIsNotAnEntryGoesToTheDlqUnchangedWithItsReason() {
        var t = topology();
        byte[] bad = "{\"type\":\"request\",\"auth\":{\"cli".getBytes(StandardCharsets.UTF_8);
        t.pipe("r-x", bad, T0);
        TestRecord<byte[], byte[]> dead = t.dlq.readRecord();
        assertThat(dead.value()).isEqualTo(bad);
        assertThat(new String(dead.headers().lastHeader(RecordHeaders.DLQ_FAILURE).value(), StandardCharsets.UTF_8))
                .isEqualTo("NOT_JSON");
        assertThat(dead.headers().lastHeader(RecordHeaders.DLQ_REASON)).isNotNull();
        assertThat(new String(dead.headers().lastHeader(RecordHeaders.DLQ_STAGE).value(), StandardCharsets.UTF_8))
                .isEqualTo("streams");
        assertThat(new String(dead.headers().lastHeader(RecordHeaders.DLQ_ORIGIN).value(), StandardCharsets.UTF_8))
                .isEqualTo("vault.audit.raw/0/0");
        assertThat(t.metrics.dlqCount()).isEqualTo(1.0);
        assertThat(t.events.isEmpty()).isTrue();
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void entriesWithoutRequestIdPassStraightThroughAsPlatformEvents() {
        var t = topology();
        t.pipe(null, AuditLine.of(null).entity(null, null).accessor(null).op("help", "secret/").request(), T0);
        TestRecord<String, PairedEvent> e = t.events.readRecord();
        assertThat(e.key()).isEqualTo("-");
        assertThat(e.value().pairing().status()).isEqualTo(PairingStatus.NOT_PAIRED);
        assertThat(t.events.isEmpty()).isTrue();
    }

    @Test
    void entityTenantsComeFromTheDirectoryTopicWithoutARestart() {
        var t = topology();
        t.tenant(new TenantProfile("acme", "Acme", "UTC", null, List.of("e-alice")));
        t.driver.advanceWallClockTime(Duration.ofSeconds(11));
        t.pipePair("r-1", AuditLine.of("r-1").op("read", "transit/keys/x"), T0);
        List<PairedEvent> out = t.events();
        assertThat(out).extracting(e -> e.event().tenantId()).containsExactly("acme", "acme");
    }

    @Test
    void repeatedFiringsWithinTheMergeWindowAreOneAnomalyWithACount() {
        var t = topology();
        for (int i = 0; i < 3; i++) {
            t.pipePair("r-" + i, AuditLine.of("r-" + i).policies("root").op("read", "sys/mounts"),
                    T0.plusSeconds(i * 60L));
        }
        List<Anomaly> first = t.anomalies();
        assertThat(first).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("root_token_use");
            assertThat(a.count()).isEqualTo(1);
            assertThat(a.revision()).isEqualTo(1);
        });
        // an unrelated event after the 600 s window and the 300 s allowed lateness moves time on; the window closes
        // with the final count
        t.pipePair("r-late", AuditLine.of("r-late").entity("e-bob", "bob").op("read", "secret/data/x"),
                T0.plusSeconds(1000));
        List<Anomaly> closed = t.anomalies();
        assertThat(closed).singleElement().satisfies(a -> {
            assertThat(a.anomalyId()).isEqualTo(first.get(0).anomalyId());
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.revision()).isEqualTo(2);
            assertThat(a.eventIds()).hasSize(3);
            assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(120));
        });
        assertThat(t.anomalies.isEmpty()).isTrue();
    }

    @Test
    void firingsOfOneActorInTwoTenantsAreTwoAnomaliesEachWithOnlyItsTenantsEvents() {
        var t = topology();
        t.pipePair("r-1", AuditLine.of("r-1").policies("root").op("read", "secret/data/tenants/acme/k"), T0);
        t.pipePair("r-2", AuditLine.of("r-2").policies("root").op("read", "secret/data/tenants/globex/k"),
                T0.plusSeconds(1));
        t.pipePair("r-3", AuditLine.of("r-3").policies("root").op("read", "secret/data/tenants/globex/j"),
                T0.plusSeconds(2));
        List<PairedEvent> events = t.events();
        List<Anomaly> first = t.anomalies();
        assertThat(first).extracting(Anomaly::tenantId).containsExactly("acme", "globex");
        t.driver.advanceWallClockTime(Duration.ofSeconds(1000));
        List<Anomaly> all = new java.util.ArrayList<>(first);
        all.addAll(t.anomalies());
        for (Anomaly a : all) {
            assertThat(a.eventIds()).allSatisfy(id -> assertThat(events.stream()
                    .filter(e -> e.event().eventId().equals(id)).findFirst().orElseThrow().event().tenantId())
                    .isEqualTo(a.tenantId()));
        }
        assertThat(all).filteredOn(a -> a.tenantId().equals("globex")).last()
                .satisfies(a -> assertThat(a.count()).isEqualTo(2));
    }

    @Nested
    class CrossTenantAccess {
        @Test
        void fires() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").tenant("a").op("read", "secret/data/tenants/b/db"), T0);
            assertThat(t.anomalies()).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("cross_tenant_access");
                assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(a.tenantId()).isEqualTo("a");
                assertThat(a.description()).contains("tenant b");
            });
        }

        @Test
        void staysQuietInsideTheOwnTenant() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").tenant("a").op("read", "secret/data/tenants/a/db"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Test
    void aReplayedLineMarksTheEventsAndAnomaliesItLeadsToAndALiveLineDoesNot() {
        var t = topology();
        AuditLine replayed = AuditLine.of("r-1").entity(null, "root").policies("root").op("read", "sys/mounts");
        var request = new TestRecord<>("r-1".getBytes(StandardCharsets.UTF_8), replayed.at(T0).request(), T0);
        request.headers().add(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN, "0/41".getBytes(StandardCharsets.UTF_8));
        var response = new TestRecord<>("r-1".getBytes(StandardCharsets.UTF_8), replayed.response(), T0.plusMillis(2));
        response.headers().add(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN, "0/42".getBytes(StandardCharsets.UTF_8));
        t.raw.pipeInput(request);
        t.raw.pipeInput(response);
        t.pipePair("r-2", AuditLine.of("r-2").entity("e-live", "operator").policies("root").op("read", "sys/mounts"),
                T0.plusSeconds(1));

        var events = t.events.readRecordsToList();
        assertThat(events).hasSize(4);
        assertThat(events.subList(0, 2)).allSatisfy(r -> assertThat(
                r.headers().lastHeader(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN)).isNotNull());
        assertThat(events.subList(2, 4)).allSatisfy(r -> assertThat(
                r.headers().lastHeader(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN)).isNull());
        // a replayed event points at the archived line (its original place), not at the replayed copy
        assertThat(events.subList(0, 2)).extracting(r -> r.value().event().source())
                .containsExactlyInAnyOrder(new io.auditrail.core.event.RawPosition(0, 41),
                        new io.auditrail.core.event.RawPosition(0, 42));
        var anomalies = t.anomalies.readRecordsToList();
        assertThat(anomalies).extracting(r -> r.value().rule()).containsExactly("root_token_use", "root_token_use");
        assertThat(anomalies.get(0).headers().lastHeader(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN))
                .isNotNull();
        assertThat(anomalies.get(1).headers().lastHeader(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN))
                .isNull();
    }

    @Nested
    class RootTokenUse {
        @Test
        void fires() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").entity(null, "root").policies("root").op("read", "sys/mounts"), T0);
            assertThat(rules(t.anomalies())).containsExactly("root_token_use");
        }

        @Test
        void staysQuietForAPolicyMerelyNamedLikeRoot() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").policies("default", "root-ca-reader").op("read", "pki/ca"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class AuditDeviceChange {
        @Test
        void firesOnDisable() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("delete", "sys/audit/socket"), T0);
            assertThat(rules(t.anomalies())).containsExactly("audit_device_change");
        }

        @Test
        void staysQuietWhenDevicesAreOnlyListed() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("read", "sys/audit"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class RawLoggingDetected {
        @Test
        void fires() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").accessor("plain-accessor"), T0);
            assertThat(t.anomalies()).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("raw_logging_detected");
                assertThat(a.description()).contains("auth.accessor").doesNotContain("plain-accessor");
            });
        }

        @Test
        void staysQuietWhenHashed() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").accessor("hmac-sha256:abc"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class PolicyChange {
        @Test
        void fires() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("update", "sys/policies/acl/app"), T0);
            assertThat(rules(t.anomalies())).containsExactly("policy_change");
        }

        @Test
        void staysQuietOnRead() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("read", "sys/policies/acl/app"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class AuthMethodChange {
        @Test
        void fires() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("update", "sys/auth/userpass"), T0);
            assertThat(rules(t.anomalies())).containsExactly("auth_method_change");
        }

        @Test
        void staysQuietOnRead() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("read", "sys/auth"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class SealOrClusterChange {
        @Test
        void firesOnSealWhichHasNoResponse() {
            var t = topology();
            t.pipe("r-1", AuditLine.of("r-1").op("update", "sys/seal").request(), T0);
            assertThat(rules(t.anomalies())).containsExactly("seal_or_cluster_change");
            assertThat(t.events.readValue().pairing().status()).isEqualTo(PairingStatus.NO_RESPONSE_EXPECTED);
        }

        @Test
        void staysQuietWhenASnapshotIsOnlyRead() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("read", "sys/storage/raft/snapshot"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class PermissionDeniedBurst {
        @Test
        void firesOnTheTenthDenialWithinAMinute() {
            var t = topology();
            for (int i = 0; i < 10; i++) {
                t.pipePair("r-" + i, AuditLine.of("r-" + i).op("read", "secret/data/x" + i).error("permission denied"),
                        T0.plusSeconds(i * 5L));
            }
            assertThat(t.anomalies()).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("permission_denied_burst");
                assertThat(a.actor()).isEqualTo("entity:e-alice");
                assertThat(a.eventIds()).hasSize(10);
            });
        }

        @Test
        void anActorSharedByTwoTenantsIsCountedPerTenantAndNeverLinksTheOthersEvents() {
            var t = topology();
            List<String> acmeEvents = new java.util.ArrayList<>();
            // one entity (a shared platform identity, its token without tenant metadata) denied on both tenants'
            // paths, interleaved: 10 on globex, 6 on acme, 16 within the minute
            for (int i = 0; i < 16; i++) {
                String tenant = i % 8 < 5 ? "globex" : "acme";
                t.pipePair("r-" + i, AuditLine.of("r-" + i).op("read", "secret/data/tenants/" + tenant + "/k" + i)
                        .error("permission denied"), T0.plusSeconds(i * 3L));
            }
            t.events().stream().filter(e -> "acme".equals(e.event().tenantId()))
                    .forEach(e -> acmeEvents.add(e.event().eventId()));
            assertThat(acmeEvents).hasSize(12); // 6 requests and their responses
            assertThat(t.anomalies()).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("permission_denied_burst");
                assertThat(a.tenantId()).isEqualTo("globex");
                assertThat(a.eventIds()).hasSize(10).doesNotContainAnyElementsOf(acmeEvents);
            });
        }

        @Test
        void staysQuietWhenTheDenialsAreSpreadOverMoreThanTheWindow() {
            var t = topology();
            for (int i = 0; i < 10; i++) {
                t.pipePair("r-" + i, AuditLine.of("r-" + i).op("read", "secret/data/x").error("permission denied"),
                        T0.plusSeconds(i * 7L));
            }
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class LoginFailureBurst {
        @Test
        void firesOnFiveFailuresFromOneAddress() {
            var t = topology();
            for (int i = 0; i < 5; i++) {
                t.pipePair("r-" + i, AuditLine.of("r-" + i).failedLogin("auth/userpass/login/u" + i).from("203.0.113.9"),
                        T0.plusSeconds(i));
            }
            assertThat(t.anomalies()).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("login_failure_burst");
                assertThat(a.actor()).isEqualTo("addr:203.0.113.9");
            });
        }

        @Test
        void staysQuietWhenTheFailuresComeFromDifferentAddresses() {
            var t = topology();
            for (int i = 0; i < 5; i++) {
                t.pipePair("r-" + i, AuditLine.of("r-" + i).failedLogin("auth/userpass/login/u").from("203.0.113." + i),
                        T0.plusSeconds(i));
            }
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class ReadRateSpike {
        private final RuleBook fast = RuleBook.of(Map.of("rules.read_rate_spike.warmup.minutes", "3",
                "rules.read_rate_spike.min.reads.per.minute", "10", "rules.read_rate_spike.factor", "5"));

        private void baseline(TopologyHarness t) {
            for (int m = 0; m < 4; m++) {
                t.pipePair("b-" + m, AuditLine.of("b-" + m).tenant("a").op("read", "secret/data/tenants/a/x"),
                        T0.plusSeconds(m * 60L));
            }
        }

        @Test
        void firesWhenAMinuteFarExceedsTheActorsBaseline() {
            var t = topology(fast);
            baseline(t);
            for (int i = 0; i < 12; i++) {
                t.pipePair("s-" + i, AuditLine.of("s-" + i).tenant("a").op("read", "secret/data/tenants/a/y" + i),
                        T0.plusSeconds(300 + i));
            }
            assertThat(rules(t.anomalies())).containsExactly("read_rate_spike");
        }

        @Test
        void staysQuietBelowTheMinimum() {
            var t = topology(fast);
            baseline(t);
            for (int i = 0; i < 8; i++) {
                t.pipePair("s-" + i, AuditLine.of("s-" + i).tenant("a").op("read", "secret/data/tenants/a/y"),
                        T0.plusSeconds(300 + i));
            }
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class SecretEnumeration {
        @Test
        void firesOnFiftyListsWithinAMinute() {
            var t = topology();
            for (int i = 0; i < 50; i++) {
                t.pipePair("r-" + i, AuditLine.of("r-" + i).op("list", "secret/metadata/d" + i + "/"),
                        T0.plusMillis(i * 1000L));
            }
            assertThat(rules(t.anomalies())).containsExactly("secret_enumeration");
        }

        @Test
        void staysQuietAtFortyNine() {
            var t = topology();
            for (int i = 0; i < 49; i++) {
                t.pipePair("r-" + i, AuditLine.of("r-" + i).op("list", "secret/metadata/d" + i + "/"),
                        T0.plusMillis(i * 1000L));
            }
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class NewSourceAddress {
        @Test
        void firesWhenAKnownActorComesFromANewAddress() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").from("10.0.0.7"), T0);
            t.pipePair("r-2", AuditLine.of("r-2").from("198.51.100.4"), T0.plusSeconds(3600));
            assertThat(t.anomalies()).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("new_source_address");
                assertThat(a.severity()).isEqualTo(Severity.LOW);
                assertThat(a.remoteAddress()).isEqualTo("198.51.100.4");
            });
        }

        @Test
        void staysQuietForTheKnownAddressAndTheFirstEverRequest() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").from("10.0.0.7"), T0);
            t.pipePair("r-2", AuditLine.of("r-2").from("10.0.0.7"), T0.plusSeconds(3600));
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class OffHoursAccess {
        private final TenantProfile berlin = new TenantProfile("a", "A", "Europe/Berlin",
                new TenantProfile.BusinessHours(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                        DayOfWeek.THURSDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0)), List.of());

        @Test
        void firesOnASaturday() {
            var t = topology();
            t.tenant(berlin);
            t.pipePair("r-1", AuditLine.of("r-1").tenant("a").op("read", "secret/data/tenants/a/db"),
                    Instant.parse("2026-11-07T10:00:00Z"));
            assertThat(rules(t.anomalies())).containsExactly("off_hours_access");
        }

        @Test
        void staysQuietAtTenOnAMondayInBerlin() {
            var t = topology();
            t.tenant(berlin);
            t.pipePair("r-1", AuditLine.of("r-1").tenant("a").op("read", "secret/data/tenants/a/db"), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class LongLivedToken {
        @Test
        void firesAboveTheThreshold() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("update", "auth/token/create").issuesToken(3_000_000), T0);
            assertThat(rules(t.anomalies())).containsExactly("long_lived_token");
        }

        @Test
        void staysQuietAtAnHour() {
            var t = topology();
            t.pipePair("r-1", AuditLine.of("r-1").op("update", "auth/token/create").issuesToken(3600), T0);
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Nested
    class AuditGap {
        @Test
        void firesWhenTheResponseNeverComesEvenIfNoOtherRecordArrives() {
            var t = topology();
            t.pipe("r-1", AuditLine.of("r-1").op("read", "secret/data/app/db").request(), T0);
            assertThat(t.events.isEmpty()).isTrue(); // the request waits for its response
            t.driver.advanceWallClockTime(Duration.ofSeconds(59));
            assertThat(t.events.isEmpty()).isTrue();
            t.driver.advanceWallClockTime(Duration.ofSeconds(2));
            assertThat(t.events()).singleElement().satisfies(e -> {
                assertThat(e.event().requestId()).isEqualTo("r-1");
                assertThat(e.pairing().status()).isEqualTo(PairingStatus.UNANSWERED);
            });
            assertThat(t.anomalies()).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("audit_gap");
                assertThat(a.description()).contains("r-1");
            });
        }

        @Test
        void staysQuietWhenTheResponseComesJustBeforeTheTimeout() {
            var t = topology();
            t.pipe("r-1", AuditLine.of("r-1").request(), T0);
            t.driver.advanceWallClockTime(Duration.ofSeconds(59));
            t.pipe("r-1", AuditLine.of("r-1").response(), T0.plusMillis(3));
            t.driver.advanceWallClockTime(Duration.ofSeconds(120));
            assertThat(t.events()).hasSize(2).allSatisfy(e ->
                    assertThat(e.pairing().status()).isEqualTo(PairingStatus.PAIRED));
            assertThat(t.anomalies.isEmpty()).isTrue();
        }

        @Test
        void staysQuietWhenTheResponseArrivesBeforeItsRequest() {
            var t = topology();
            AuditLine line = AuditLine.of("r-1").op("update", "auth/token/create").issuesToken(3_000_000).at(T0);
            t.pipe("r-1", line.response(), T0);
            t.driver.advanceWallClockTime(Duration.ofSeconds(30));
            assertThat(t.events.isEmpty()).isTrue(); // the response waits for its request
            t.pipe("r-1", line.request(), T0);
            List<PairedEvent> out = t.events();
            assertThat(out).extracting(e -> e.event().type()).containsExactly("request", "response");
            assertThat(out).allSatisfy(e -> assertThat(e.pairing().status()).isEqualTo(PairingStatus.PAIRED));
            assertThat(out.get(0).pairing().counterpartEventId()).isEqualTo(out.get(1).event().eventId());
            t.driver.advanceWallClockTime(Duration.ofSeconds(300));
            // what the response told still reaches the rules: the token's TTL, from the request that came second
            assertThat(rules(t.anomalies())).containsExactly("long_lived_token");
            assertThat(t.events.isEmpty()).isTrue();
        }

        @Test
        void aResponseWhoseRequestNeverComesIsReleasedAloneAndRaisesNoGap() {
            var t = topology();
            t.pipe("r-1", AuditLine.of("r-1").response(), T0);
            t.driver.advanceWallClockTime(Duration.ofSeconds(61));
            assertThat(t.events()).singleElement().satisfies(e ->
                    assertThat(e.pairing().status()).isEqualTo(PairingStatus.RESPONSE_ONLY));
            assertThat(t.anomalies.isEmpty()).isTrue();
        }
    }

    @Test
    void aMergedAnomalysFinalRevisionComesWhileTrafficIsQuiet() {
        var t = topology();
        for (int i = 0; i < 3; i++) {
            t.pipePair("r-" + i, AuditLine.of("r-" + i).policies("root").op("read", "sys/mounts"),
                    T0.plusSeconds(i * 60L));
        }
        assertThat(t.anomalies()).singleElement().satisfies(a -> assertThat(a.revision()).isEqualTo(1));
        // no further event: the 600 s merge window (from T0) plus the 300 s lateness pass by the wall clock alone
        t.driver.advanceWallClockTime(Duration.ofSeconds(600));
        assertThat(t.anomalies.isEmpty()).isTrue();
        t.driver.advanceWallClockTime(Duration.ofSeconds(200));
        assertThat(t.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.revision()).isEqualTo(2);
        });
    }
}
