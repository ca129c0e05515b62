package org.vigie.pattern.generate;

import org.junit.jupiter.api.Test;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.Observation;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PatternCorpusTest
{
    @Test
    void everyPatternParsesAndEveryPlantedValueMatchesItsPattern()
    {
        List<PatternCorpus.Entry> entries = PatternCorpus.entries(5_000, 11L);
        Map<PatternCorpus.Kind, Integer> kinds = new EnumMap<>(PatternCorpus.Kind.class);
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        for (PatternCorpus.Entry entry : entries) {
            kinds.merge(entry.kind(), 1, Integer::sum);
            CompiledPattern pattern = CompiledPattern.parse(entry.pattern());
            assertThat(pattern.isStateless()).as(entry.pattern()).isEqualTo(entry.kind() != PatternCorpus.Kind.STATEFUL);
            assertThat(entry.matching().isPresent()).as(entry.pattern()).isEqualTo(pattern.isStateless());
            entry.matching().ifPresent(value -> {
                Observation planted = PatternCorpus.planted(value, "observed-data--00000000-0000-4000-8000-000000000001", time);
                assertThat(pattern.matches(planted)).as("%s planted with %s", entry.pattern(), value).isTrue();
            });
        }
        // The mix of the targets: 89 % equality, 10 % LIKE/MATCHES/ISSUBSET, 1 % stateful, within sampling noise.
        assertThat(kinds.get(PatternCorpus.Kind.EQUALITY)).isBetween(4_300, 4_600);
        assertThat(kinds.get(PatternCorpus.Kind.TEXT_OR_NETWORK)).isBetween(400, 600);
        assertThat(kinds.get(PatternCorpus.Kind.STATEFUL)).isBetween(25, 90);
        assertThat(PatternCorpus.patterns(100, 3L)).isEqualTo(PatternCorpus.patterns(100, 3L)).hasSize(100);
    }
}
