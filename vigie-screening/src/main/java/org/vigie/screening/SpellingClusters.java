package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Equivalence classes of Latin spellings of one Arabic name part, learned from Wikidata
 * English-Arabic name alignments: every Latin spelling aligned with the same Arabic token is in the
 * same class (hussein, hussain, hossein, houcine). The most frequent spelling of an Arabic token is
 * also its transliteration.
 */
final class SpellingClusters
{
    private static final String RESOURCE = "/org/vigie/screening/names/wikidata_arabic_name_tokens.tsv";
    private static final int[] NONE = new int[0];

    private static volatile SpellingClusters shipped;

    private final Map<String, int[]> clustersByLatin;
    private final Map<String, String> latinByArabic;
    private final Map<String, Integer> countByLatin;
    private final int[] clusterTotals;
    private final long totalCount;

    private SpellingClusters(Map<String, int[]> clustersByLatin, Map<String, String> latinByArabic, Map<String, Integer> countByLatin, int[] clusterTotals, long totalCount)
    {
        this.clustersByLatin = clustersByLatin;
        this.latinByArabic = latinByArabic;
        this.countByLatin = countByLatin;
        this.clusterTotals = clusterTotals;
        this.totalCount = totalCount;
    }

    /**
     * How common a name token is among people in general, in [0, 1]: 1 for a token Wikidata's
     * person names never use, lower for common ones (john, juan, mohammed), by the inverse frequency
     * of the token, or of all spellings of its spelling class when that is larger.
     */
    double populationRarity(String latin)
    {
        int count = countByLatin.getOrDefault(latin, 0);
        for (int id : clusters(latin)) {
            count = Math.max(count, clusterTotals[id]);
        }
        return Math.log((double) totalCount / (count + 1)) / Math.log(totalCount);
    }

    static SpellingClusters shipped()
    {
        SpellingClusters result = shipped;
        if (result == null) {
            synchronized (SpellingClusters.class) {
                result = shipped;
                if (result == null) {
                    result = load();
                    shipped = result;
                }
            }
        }
        return result;
    }

    /** The classes a folded Latin token belongs to (sorted ids), empty when unknown. */
    int[] clusters(String latin)
    {
        return clustersByLatin.getOrDefault(latin, NONE);
    }

    /** The most frequent Latin spelling of an Arabic word (letters only, no spaces), or null. */
    String latin(String arabic)
    {
        return latinByArabic.get(arabic);
    }

    boolean isKnownLatin(String latin)
    {
        return clustersByLatin.containsKey(latin);
    }

    private static SpellingClusters load()
    {
        // Start-up time matters (a cold start reads 65,000 lines): per-class data lives in arrays
        // indexed by class id rather than in maps of boxed values.
        Map<String, Integer> clusterIds = new HashMap<>();
        Map<String, int[]> clustersByLatin = new HashMap<>();
        Map<String, Integer> countByLatin = new HashMap<>();
        List<String> arabicById = new ArrayList<>();
        int[] totalById = new int[1024];
        int[] bestCountById = new int[1024];
        String[] bestLatinById = new String[1024];
        long total = 0;
        try (InputStream in = SpellingClusters.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new VigieException(ErrorCode.INTERNAL_ERROR, "spelling cluster resource " + RESOURCE + " is missing from the vigie-screening jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                String[] fields = line.split("\t");
                if (fields.length != 3) {
                    throw new VigieException(ErrorCode.INTERNAL_ERROR, RESOURCE + " line " + lineNumber + " has " + fields.length + " fields, expected 3");
                }
                if (!NameNormalizer.isLatinRange(fields[0])) {
                    // A few alignments carry non-Latin letters: not worth starting a transliterator for.
                    continue;
                }
                String latin = NameNormalizer.foldLatin(fields[0]);
                if (latin.isEmpty() || latin.indexOf(' ') >= 0) {
                    continue;
                }
                String arabic = fields[1].replace(" ", "");
                int count = Integer.parseInt(fields[2].strip());
                total += count;
                countByLatin.merge(latin, count, Integer::sum);
                Integer known = clusterIds.putIfAbsent(arabic, clusterIds.size());
                int id = known == null ? clusterIds.size() - 1 : known;
                if (id == totalById.length) {
                    totalById = Arrays.copyOf(totalById, id * 2);
                    bestCountById = Arrays.copyOf(bestCountById, id * 2);
                    bestLatinById = Arrays.copyOf(bestLatinById, id * 2);
                }
                if (known == null) {
                    arabicById.add(arabic);
                }
                totalById[id] += count;
                int[] ids = clustersByLatin.get(latin);
                if (ids == null) {
                    clustersByLatin.put(latin, new int[] {id});
                }
                else if (!contains(ids, id)) {
                    int[] grown = Arrays.copyOf(ids, ids.length + 1);
                    grown[ids.length] = id;
                    clustersByLatin.put(latin, grown);
                }
                if (count > bestCountById[id]) {
                    bestCountById[id] = count;
                    bestLatinById[id] = latin;
                }
            }
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        clustersByLatin.values().forEach(Arrays::sort);
        Map<String, String> latinByArabic = new HashMap<>();
        for (int id = 0; id < arabicById.size(); id++) {
            if (bestLatinById[id] != null) {
                latinByArabic.put(arabicById.get(id), bestLatinById[id]);
            }
        }
        return new SpellingClusters(clustersByLatin, latinByArabic, countByLatin, Arrays.copyOf(totalById, arabicById.size()), total);
    }

    private static boolean contains(int[] values, int wanted)
    {
        for (int value : values) {
            if (value == wanted) {
                return true;
            }
        }
        return false;
    }
}
