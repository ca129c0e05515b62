package org.vigie.screening;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NameNormalizerTest
{
    private final NameNormalizer normalizer = new NameNormalizer(SpellingClusters.shipped());

    @Test
    void foldsAccentsCaseAndPunctuation()
    {
        assertThat(NameNormalizer.foldLatin("José  MARÍA Ñúñez-O'Brien")).isEqualTo("jose maria nunez obrien");
        assertThat(NameNormalizer.foldLatin("Saif Al-'Adil")).isEqualTo("saif al adil");
        assertThat(NameNormalizer.foldLatin("Straße")).isEqualTo("strasse");
        assertThat(NameNormalizer.foldLatin("Владимир Путин")).isEqualTo("vladimir putin");
    }

    @Test
    void canonicalisesArabicParticles()
    {
        assertThat(normalizer.tokens("Usama bin Laden")).isEqualTo(normalizer.tokens("Usama ben Laden")).isEqualTo(normalizer.tokens("Usama ibn Laden"));
        assertThat(normalizer.tokens("Abou Mohamed el-Masri")).containsExactly("abu", "mohamed", "al", "masri");
        assertThat(normalizer.tokens("Abdelrahman")).containsExactly("abd", "rahman");
        assertThat(normalizer.tokens("Abdurrahman")).containsExactly("abd", "rahman");
        assertThat(normalizer.tokens("Abdul Rahman")).containsExactly("abd", "rahman");
        assertThat(normalizer.tokens("Abdullah")).containsExactly("abd", "allah");
        assertThat(normalizer.tokens("Abd Allah")).containsExactly("abd", "allah");
        // Sun-letter articles only before a word they assimilate to; Korean "Il" stays a name.
        assertThat(normalizer.tokens("Nur ad-Din")).containsExactly("nur", "al", "din");
        assertThat(normalizer.tokens("Kim Il Sung")).containsExactly("kim", "il", "sung");
        assertThat(normalizer.tokens("Mullah Omar")).containsExactly("title", "omar");
    }

    @Test
    void splitsGluedAssimilatedArticlesAndKnowsTitleSpellings()
    {
        assertThat(normalizer.tokens("Bashir Uddin")).containsExactly("bashir", "al", "din");
        assertThat(normalizer.tokens("Haj Qasem")).containsExactly("title", "qasem");
        assertThat(NameNormalizer.looseSkeleton("saqar")).isEqualTo(NameNormalizer.looseSkeleton("sagar"));
        assertThat(NameNormalizer.looseSkeleton("tongbang")).isEqualTo(NameNormalizer.looseSkeleton("dongbang"));
    }

    @Test
    void transliteratesArabicScriptThroughTheSpellingClusters()
    {
        assertThat(normalizer.tokens("محمد")).hasSize(1).first().satisfies(token -> assertThat(NameNormalizer.skeleton(token)).isEqualTo("mhmd"));
        List<String> tokens = normalizer.tokens("محمد صلاح الدين عبدالحليم زيدان");
        assertThat(tokens).hasSize(6).contains("abd");
        assertThat(NameNormalizer.skeleton(tokens.get(tokens.size() - 1))).isEqualTo(NameNormalizer.skeleton("zidane"));
    }

    @Test
    void skeletonsJoinCommonTransliterations()
    {
        assertThat(NameNormalizer.skeleton("mohammed")).isEqualTo(NameNormalizer.skeleton("muhammad")).isEqualTo(NameNormalizer.skeleton("mohamed"));
        assertThat(NameNormalizer.skeleton("qaida")).isEqualTo(NameNormalizer.skeleton("qaeda")).isEqualTo(NameNormalizer.skeleton("kaida"));
        assertThat(NameNormalizer.skeleton("daesh")).isEqualTo(NameNormalizer.skeleton("daech"));
        assertThat(NameNormalizer.skeleton("osama")).isEqualTo(NameNormalizer.skeleton("usama"));
        assertThat(NameNormalizer.skeleton("youssef")).isEqualTo(NameNormalizer.skeleton("yusuf"));
        assertThat(NameNormalizer.skeleton("john")).isNotEqualTo(NameNormalizer.skeleton("mohammed"));
    }

    @Test
    void spellingClustersGroupVariantsOfOneArabicName()
    {
        SpellingClusters clusters = SpellingClusters.shipped();
        int[] hussein = clusters.clusters("hussein");
        int[] houcine = clusters.clusters("houcine");
        assertThat(hussein).isNotEmpty();
        assertThat(houcine).containsAnyOf(hussein);
        assertThat(clusters.populationRarity("john")).isLessThan(clusters.populationRarity("zidane"));
        assertThat(clusters.populationRarity("mohamad")).isLessThan(clusters.populationRarity("zidane"));
    }
}
