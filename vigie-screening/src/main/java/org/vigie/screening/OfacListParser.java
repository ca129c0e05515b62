package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the OFAC SDN legacy CSV files: sdn.csv (ent_num, SDN_Name, SDN_Type, Program, Title,
 * Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), alt.csv (ent_num, alt_num,
 * alt_type, alt_name, alt_remarks) and add.csv (ent_num, add_num, address, city, country,
 * add_remarks). {@code -0-} marks an empty field; a last line holding only 0x1A ends the file.
 */
final class OfacListParser
{
    private static final Pattern BIRTH_DATE = Pattern.compile(
            "DOB (circa |approximately )?(?:(\\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\\d{4})(?: to (?:(\\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\\d{4}))?");
    private static final Pattern PLACE_OF_BIRTH = Pattern.compile("POB ([^;]+)");
    private static final Pattern NATIONALITY = Pattern.compile("(?:nationality|citizen) ([^;(]+)");

    private OfacListParser() {}

    static SanctionsList parse(InputStream sdn, InputStream alt, InputStream address, String source)
    {
        Map<String, Builder> builders = new LinkedHashMap<>();
        String sdnSource = source + " sdn.csv";
        for (Row row : rows(sdn, sdnSource, 12)) {
            String id = entryNumber(row, sdnSource);
            String name = value(row.fields().get(1));
            if (name.isEmpty()) {
                throw invalid(sdnSource, row, "entry " + id + " has no name");
            }
            EntityType type = switch (value(row.fields().get(2)).toLowerCase(Locale.ROOT)) {
                case "individual" -> EntityType.PERSON;
                case "vessel" -> EntityType.VESSEL;
                case "aircraft" -> EntityType.AIRCRAFT;
                case "" -> EntityType.ORGANIZATION;
                default -> throw invalid(sdnSource, row, "entry " + id + " has unknown SDN_Type '" + row.fields().get(2).strip() + "'");
            };
            if (builders.put(id, new Builder(id, type, name, value(row.fields().get(3)), value(row.fields().get(11)))) != null) {
                throw invalid(sdnSource, row, "entry number " + id + " appears twice");
            }
        }
        if (builders.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "OFAC file " + sdnSource + " has no entries");
        }
        String altSource = source + " alt.csv";
        for (Row row : rows(alt, altSource, 5)) {
            Builder builder = owner(builders, row, altSource);
            String name = value(row.fields().get(3));
            if (name.isEmpty()) {
                throw invalid(altSource, row, "alternate name of entry " + builder.id + " is empty");
            }
            AliasQuality quality = switch (value(row.fields().get(2)).toLowerCase(Locale.ROOT)) {
                case "aka" -> AliasQuality.ALSO_KNOWN_AS;
                case "fka" -> AliasQuality.FORMERLY_KNOWN_AS;
                case "nka" -> AliasQuality.NOW_KNOWN_AS;
                default -> AliasQuality.UNSPECIFIED;
            };
            builder.aliases.add(new Alias(name, quality));
        }
        String addressSource = source + " add.csv";
        for (Row row : rows(address, addressSource, 6)) {
            Builder builder = owner(builders, row, addressSource);
            List<String> parts = new ArrayList<>();
            for (int i = 2; i <= 5; i++) {
                String part = value(row.fields().get(i));
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            if (!parts.isEmpty()) {
                builder.addresses.add(String.join(", ", parts));
            }
        }
        List<Designation> designations = new ArrayList<>();
        for (Builder builder : builders.values()) {
            designations.add(builder.build());
        }
        return new SanctionsList(SanctionsList.OFAC_SDN, "sdn-" + designations.size() + "-entries", source, designations);
    }

    private record Row(int line, List<String> fields) {}

    private static List<Row> rows(InputStream in, String source, int width)
    {
        CsvReader reader = new CsvReader(new StringReader(decode(in, source)), source);
        List<Row> rows = new ArrayList<>();
        for (Optional<List<String>> record = next(reader, source); record.isPresent(); record = next(reader, source)) {
            List<String> fields = record.get();
            if (fields.size() == 1 && (fields.get(0).equals("\u001a") || fields.get(0).isBlank())) {
                continue;
            }
            Row row = new Row(reader.recordLine(), fields);
            if (fields.size() != width) {
                throw invalid(source, row, "has " + fields.size() + " fields, expected " + width);
            }
            rows.add(row);
        }
        return rows;
    }

    private static Optional<List<String>> next(CsvReader reader, String source)
    {
        try {
            return reader.next();
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "OFAC file " + e.getMessage(), e);
        }
    }

    /** OFAC has published both UTF-8 and Windows-1252 files: UTF-8 when it decodes cleanly, Windows-1252 otherwise. */
    private static String decode(InputStream in, String source)
    {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read OFAC file " + source + ": " + e.getMessage(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        }
        catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }

    private static String entryNumber(Row row, String source)
    {
        String id = row.fields().get(0).strip();
        if (!id.matches("[0-9]+")) {
            throw invalid(source, row, "entry number '" + id + "' is not a number");
        }
        return id;
    }

    private static Builder owner(Map<String, Builder> builders, Row row, String source)
    {
        String id = entryNumber(row, source);
        Builder builder = builders.get(id);
        if (builder == null) {
            throw invalid(source, row, "refers to entry " + id + ", which sdn.csv does not list");
        }
        return builder;
    }

    private static String value(String field)
    {
        String stripped = field.strip();
        return stripped.equals("-0-") ? "" : stripped;
    }

    private static VigieException invalid(String source, Row row, String message)
    {
        return new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "OFAC file " + source + ", line " + row.line() + ": " + message);
    }

    private static VigieException invalid(String source, String message)
    {
        return new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "OFAC file " + source + ": " + message);
    }

    private static final class Builder
    {
        private final String id;
        private final EntityType type;
        private final String name;
        private final String program;
        private final String remarks;
        private final List<Alias> aliases = new ArrayList<>();
        private final List<String> addresses = new ArrayList<>();

        Builder(String id, EntityType type, String name, String program, String remarks)
        {
            this.id = id;
            this.type = type;
            this.name = name;
            this.program = program;
            this.remarks = remarks;
        }

        Designation build()
        {
            List<BirthDate> birthDates = new ArrayList<>();
            Matcher birth = BIRTH_DATE.matcher(remarks);
            while (birth.find()) {
                birthDate(birth).ifPresent(birthDates::add);
            }
            List<String> places = new ArrayList<>();
            Matcher place = PLACE_OF_BIRTH.matcher(remarks);
            while (place.find()) {
                places.add(place.group(1).strip());
            }
            List<String> nationalities = new ArrayList<>();
            Matcher nationality = NATIONALITY.matcher(remarks);
            while (nationality.find()) {
                String value = nationality.group(1).strip();
                if (value.endsWith(".")) {
                    value = value.substring(0, value.length() - 1);
                }
                if (!nationalities.contains(value)) {
                    nationalities.add(value);
                }
            }
            List<String> programs = new ArrayList<>();
            for (String part : program.split("\\]\\s*\\[|\\[|\\]")) {
                if (!part.isBlank()) {
                    programs.add(part.strip());
                }
            }
            return new Designation(SanctionsList.OFAC_SDN, id, type, name, aliases, List.of(), birthDates, places, nationalities,
                    List.of(), addresses, programs, Optional.empty(), remarks);
        }

        /** Remarks are free text: a date that does not parse is left out, never guessed. */
        private static Optional<BirthDate> birthDate(Matcher matcher)
        {
            boolean circa = matcher.group(1) != null;
            int year = Integer.parseInt(matcher.group(4));
            if (matcher.group(7) != null) {
                int toYear = Integer.parseInt(matcher.group(7));
                return toYear >= year ? Optional.of(BirthDate.between(year, toYear)) : Optional.empty();
            }
            BirthDateType type = circa ? BirthDateType.APPROXIMATELY : BirthDateType.EXACT;
            if (matcher.group(2) != null && matcher.group(3) != null) {
                Optional<Month> month = month(matcher.group(3));
                int day = Integer.parseInt(matcher.group(2));
                if (month.isPresent() && day >= 1 && day <= month.get().length(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) {
                    return Optional.of(BirthDate.ofDay(type, LocalDate.of(year, month.get(), day)));
                }
            }
            return Optional.of(BirthDate.ofYear(type, year));
        }

        private static Optional<Month> month(String text)
        {
            for (Month month : Month.values()) {
                if (month.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equals(text)) {
                    return Optional.of(month);
                }
            }
            return Optional.empty();
        }
    }
}
