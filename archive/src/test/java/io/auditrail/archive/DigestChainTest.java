package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DigestChainTest {
    private static final Instant T0 = Instant.parse("2026-11-28T16:00:00Z");
    private PrivateKey privateKey;
    private PublicKey publicKey;
    private final List<SignedDigest> chain = new ArrayList<>();

    @BeforeEach
    void buildChainOfThree() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        privateKey = pair.getPrivate();
        publicKey = pair.getPublic();
        DigestChain writer = DigestChain.start("vault.audit.raw");
        long next0 = 0;
        long next1 = 0;
        for (int d = 0; d < 3; d++) {
            List<DigestEntry> objects = List.of(entry(0, next0, next0 + 9), entry(1, next1, next1 + 4));
            next0 += 10;
            next1 += 5;
            SignedDigest sealed = writer.seal(objects, T0.plus(Duration.ofHours(d + 1)), privateKey);
            writer.advance(sealed);
            chain.add(sealed);
        }
    }

    private static DigestEntry entry(int partition, long first, long last) {
        ObjectKey key = new ObjectKey(T0, T0.plusSeconds(1), partition, first, last);
        return DigestEntry.of(key, "aa" + first, "bb" + first, 100, (int) (last - first + 1));
    }

    private DigestChain.CheckResult check(List<SignedDigest> digests) {
        return DigestChain.check(digests, null, false, publicKey);
    }

    @Test
    void anUntouchedChainHasNoProblems() {
        DigestChain.CheckResult r = check(chain);
        assertThat(r.problems()).isEmpty();
        assertThat(r.digests()).hasSize(3);
        Digest last = r.digests().get(2).digest();
        assertThat(last.sequence()).isEqualTo(2);
        assertThat(last.previousKey()).isEqualTo(chain.get(1).key());
        assertThat(last.previousSha256()).isEqualTo(Hashes.sha256Hex(chain.get(1).body()));
        assertThat(last.coverage().get(0).lastOffset()).isEqualTo(29);
        assertThat(last.coverage().get(1).lastOffset()).isEqualTo(14);
    }

    @Test
    void anAlteredDigestFailsItsSignatureAndTheNextLink() {
        SignedDigest d1 = chain.get(1);
        byte[] altered = new String(d1.body(), StandardCharsets.UTF_8).replace("\"lines\":10", "\"lines\":11")
                .getBytes(StandardCharsets.UTF_8);
        List<SignedDigest> tampered = List.of(chain.get(0), new SignedDigest(d1.key(), altered, d1.signature()),
                chain.get(2));

        assertThat(check(tampered).problems()).extracting(Problem::kind, Problem::key).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Problem.Kind.BAD_SIGNATURE, d1.key()),
                org.assertj.core.groups.Tuple.tuple(Problem.Kind.BROKEN_CHAIN, chain.get(2).key()),
                // the altered line count no longer matches the offset range
                org.assertj.core.groups.Tuple.tuple(Problem.Kind.OFFSET_GAP, Digest.parse(altered).objects().get(0).key()));
    }

    @Test
    void aSignatureByAnotherKeyIsBad() throws Exception {
        PrivateKey other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        SignedDigest d2 = chain.get(2);
        SignedDigest forged = new SignedDigest(d2.key(), d2.body(), ArchiveKeys.sign(other, d2.body()));

        assertThat(check(List.of(chain.get(0), chain.get(1), forged)).problems()).singleElement()
                .satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_SIGNATURE);
                    assertThat(p.key()).isEqualTo(d2.key());
                });
    }

    @Test
    void aMissingSignatureIsBad() {
        SignedDigest d0 = chain.get(0);
        List<Problem> problems = check(List.of(new SignedDigest(d0.key(), d0.body(), null), chain.get(1), chain.get(2)))
                .problems();
        assertThat(problems).extracting(Problem::kind).containsExactly(Problem.Kind.BAD_SIGNATURE);
        assertThat(problems.get(0).detail()).contains("missing");
    }

    @Test
    void aDeletedDigestBreaksTheChainAndLeavesAnOffsetGap() {
        List<Problem> problems = check(List.of(chain.get(0), chain.get(2))).problems();
        assertThat(problems).extracting(Problem::kind).containsExactlyInAnyOrder(Problem.Kind.BROKEN_CHAIN,
                Problem.Kind.OFFSET_GAP, Problem.Kind.OFFSET_GAP);
        assertThat(problems).filteredOn(p -> p.kind() == Problem.Kind.BROKEN_CHAIN).singleElement()
                .satisfies(p -> assertThat(p.detail()).contains(chain.get(1).key()));
        assertThat(problems).filteredOn(p -> p.kind() == Problem.Kind.OFFSET_GAP)
                .extracting(Problem::detail).containsExactlyInAnyOrder(
                        "offsets 10..19 of partition 0 are in no object", "offsets 5..9 of partition 1 are in no object");
    }

    @Test
    void reorderedDigestsBreakTheChain() {
        List<Problem> problems = check(List.of(chain.get(0), chain.get(2), chain.get(1))).problems();
        assertThat(problems).extracting(Problem::kind).contains(Problem.Kind.BROKEN_CHAIN);
        assertThat(problems).extracting(Problem::kind).doesNotContain(Problem.Kind.BAD_SIGNATURE);
    }

    @Test
    void aGapInOffsetsIsNamedByObject() {
        DigestChain writer = DigestChain.start("vault.audit.raw");
        DigestEntry a = entry(0, 0, 9);
        DigestEntry b = entry(0, 12, 20);
        SignedDigest d = writer.seal(List.of(a, b), T0, privateKey);

        assertThat(check(List.of(d)).problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.OFFSET_GAP);
            assertThat(p.key()).isEqualTo(b.key());
            assertThat(p.detail()).isEqualTo("offsets 10..11 of partition 0 are in no object");
        });
    }

    @Test
    void aPeriodStartingMidChainIsCheckedAgainstItsPredecessor() {
        assertThat(DigestChain.check(chain.subList(1, 3), chain.get(0), false, publicKey).problems()).isEmpty();
        assertThat(DigestChain.check(chain.subList(1, 3), null, true, publicKey).problems())
                .extracting(Problem::kind, Problem::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Problem.Kind.BROKEN_CHAIN, chain.get(1).key()));
    }

    @Test
    void resumingContinuesTheSequenceAndLink() {
        DigestChain resumed = DigestChain.resume("vault.audit.raw", chain.get(2));
        SignedDigest next = resumed.seal(List.of(entry(0, 30, 31)), T0.plus(Duration.ofHours(5)), privateKey);
        List<SignedDigest> all = new ArrayList<>(chain);
        all.add(next);
        assertThat(check(all).problems()).isEmpty();
        assertThat(Digest.parse(next.body()).sequence()).isEqualTo(3);
    }

    @Test
    void digestJsonRoundTripsToTheSameBytes() {
        Digest d = Digest.parse(chain.get(1).body());
        assertThat(d.toJson()).isEqualTo(chain.get(1).body());
        assertThat(d.key()).isEqualTo(chain.get(1).key()).startsWith("digests/2026/11/28/18/20261128T180000000Z-");
    }
}
