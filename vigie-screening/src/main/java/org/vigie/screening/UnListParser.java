package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/** Reads the UN Security Council Consolidated List XML (CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY). */
final class UnListParser
{
    private UnListParser() {}

    static SanctionsList parse(InputStream in, String source)
    {
        Document document = readDocument(in, source);
        Element root = document.getDocumentElement();
        if (!root.getTagName().equals("CONSOLIDATED_LIST")) {
            throw invalid(source, "root element is <" + root.getTagName() + ">, expected <CONSOLIDATED_LIST>");
        }
        String version = root.getAttribute("dateGenerated");
        if (version.isEmpty()) {
            throw invalid(source, "<CONSOLIDATED_LIST> has no dateGenerated attribute");
        }
        List<Designation> designations = new ArrayList<>();
        for (Element group : children(root, "INDIVIDUALS")) {
            for (Element individual : children(group, "INDIVIDUAL")) {
                designations.add(designation(individual, EntityType.PERSON, source));
            }
        }
        for (Element group : children(root, "ENTITIES")) {
            for (Element entity : children(group, "ENTITY")) {
                designations.add(designation(entity, EntityType.ORGANIZATION, source));
            }
        }
        if (designations.isEmpty()) {
            throw invalid(source, "the list has no INDIVIDUAL and no ENTITY");
        }
        return new SanctionsList(SanctionsList.UN, version, source, designations);
    }

    private static Designation designation(Element element, EntityType type, String source)
    {
        String reference = text(element, "REFERENCE_NUMBER");
        String dataId = text(element, "DATAID");
        String where = "record " + (reference.isEmpty() ? "with DATAID " + dataId : reference);
        if (reference.isEmpty()) {
            throw invalid(source, where + " has no REFERENCE_NUMBER");
        }
        StringJoiner name = new StringJoiner(" ");
        for (String part : List.of("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) {
            String value = text(element, part);
            if (!value.isEmpty()) {
                name.add(value);
            }
        }
        if (name.length() == 0) {
            throw invalid(source, where + " has no name (FIRST_NAME to FOURTH_NAME are empty)");
        }
        boolean person = type == EntityType.PERSON;
        List<Alias> aliases = new ArrayList<>();
        for (Element alias : children(element, person ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS")) {
            AliasQuality quality = quality(text(alias, "QUALITY"));
            // Several spellings are sometimes given in one ALIAS_NAME, joined by "; ".
            for (String part : text(alias, "ALIAS_NAME").split(";")) {
                String trimmed = part.strip();
                if (!trimmed.isEmpty()) {
                    aliases.add(new Alias(trimmed, quality));
                }
            }
        }
        List<String> originalScript = new ArrayList<>();
        String original = text(element, "NAME_ORIGINAL_SCRIPT");
        if (!original.isEmpty()) {
            originalScript.add(original);
        }
        List<BirthDate> birthDates = new ArrayList<>();
        List<String> placesOfBirth = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        if (person) {
            for (Element date : children(element, "INDIVIDUAL_DATE_OF_BIRTH")) {
                birthDate(date, source, where).ifPresent(birthDates::add);
            }
            for (Element place : children(element, "INDIVIDUAL_PLACE_OF_BIRTH")) {
                String joined = joined(place, "CITY", "STATE_PROVINCE", "COUNTRY");
                if (!joined.isEmpty()) {
                    placesOfBirth.add(joined);
                }
            }
            for (Element document : children(element, "INDIVIDUAL_DOCUMENT")) {
                String joined = joined(document, "TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2", "NUMBER", "ISSUING_COUNTRY", "NOTE");
                if (!joined.isEmpty()) {
                    documents.add(joined);
                }
            }
        }
        List<String> nationalities = new ArrayList<>();
        for (Element nationality : children(element, "NATIONALITY")) {
            for (Element value : children(nationality, "VALUE")) {
                String text = value.getTextContent().strip();
                if (!text.isEmpty()) {
                    nationalities.add(text);
                }
            }
        }
        List<String> addresses = new ArrayList<>();
        for (Element address : children(element, person ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS")) {
            String joined = joined(address, "STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE");
            if (!joined.isEmpty()) {
                addresses.add(joined);
            }
        }
        List<String> programs = new ArrayList<>();
        String listType = text(element, "UN_LIST_TYPE");
        if (!listType.isEmpty()) {
            programs.add(listType);
        }
        Optional<LocalDate> listedOn = Optional.empty();
        String listed = text(element, "LISTED_ON");
        if (!listed.isEmpty()) {
            // Some dates carry a zone offset (2001-01-25-05:00): the day is the first ten characters.
            listedOn = Optional.of(date(listed.length() > 10 ? listed.substring(0, 10) : listed, source, where + " LISTED_ON"));
        }
        return new Designation(SanctionsList.UN, reference, type, name.toString(), aliases, originalScript, birthDates,
                placesOfBirth, nationalities, documents, addresses, programs, listedOn, text(element, "COMMENTS1"));
    }

    private static Optional<BirthDate> birthDate(Element element, String source, String where)
    {
        String type = text(element, "TYPE_OF_DATE");
        String day = text(element, "DATE");
        String year = text(element, "YEAR");
        String from = text(element, "FROM_YEAR");
        String to = text(element, "TO_YEAR");
        if (day.isEmpty() && year.isEmpty() && from.isEmpty() && to.isEmpty()) {
            // The list writes empty dates (only a NOTE) for persons whose birth date is unknown.
            return Optional.empty();
        }
        BirthDateType kind = switch (type) {
            case "EXACT" -> BirthDateType.EXACT;
            case "APPROXIMATELY" -> BirthDateType.APPROXIMATELY;
            case "BETWEEN" -> BirthDateType.BETWEEN;
            default -> throw invalid(source, where + " has a date of birth of unknown TYPE_OF_DATE '" + type + "'");
        };
        if (!day.isEmpty()) {
            return Optional.of(BirthDate.ofDay(kind, date(day, source, where + " DATE")));
        }
        if (!year.isEmpty()) {
            return Optional.of(BirthDate.ofYear(kind, year(year, source, where)));
        }
        if (!from.isEmpty() && !to.isEmpty()) {
            return Optional.of(BirthDate.between(year(from, source, where), year(to, source, where)));
        }
        // A typed date with only a NOTE ("unknown") states no date.
        return Optional.empty();
    }

    private static LocalDate date(String text, String source, String where)
    {
        try {
            return LocalDate.parse(text);
        }
        catch (DateTimeParseException e) {
            throw invalid(source, where + " '" + text + "' is not a date (expected YYYY-MM-DD)");
        }
    }

    private static int year(String text, String source, String where)
    {
        if (!text.matches("[0-9]{4}")) {
            throw invalid(source, where + " has a date of birth year '" + text + "' that is not four digits");
        }
        return Integer.parseInt(text);
    }

    private static AliasQuality quality(String text)
    {
        return switch (text) {
            case "Good" -> AliasQuality.GOOD;
            case "Low" -> AliasQuality.LOW;
            case "a.k.a." -> AliasQuality.ALSO_KNOWN_AS;
            case "f.k.a." -> AliasQuality.FORMERLY_KNOWN_AS;
            case "n.k.a." -> AliasQuality.NOW_KNOWN_AS;
            default -> AliasQuality.UNSPECIFIED;
        };
    }

    private static String joined(Element element, String... tags)
    {
        StringJoiner joiner = new StringJoiner(", ");
        for (String tag : tags) {
            String value = text(element, tag);
            if (!value.isEmpty()) {
                joiner.add(value);
            }
        }
        return joiner.toString();
    }

    /** The stripped text of the first direct child with this tag, or "" when absent. */
    private static String text(Element element, String tag)
    {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(tag)) {
                return child.getTextContent().strip();
            }
        }
        return "";
    }

    private static List<Element> children(Element element, String tag)
    {
        List<Element> result = new ArrayList<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(tag)) {
                result.add(child);
            }
        }
        return result;
    }

    private static Document readDocument(InputStream in, String source)
    {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // The list never needs a DTD: refusing them closes XXE and entity-expansion attacks.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(in);
        }
        catch (SAXParseException e) {
            throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST,
                    "UN list " + source + " is not well-formed XML at line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage(), e);
        }
        catch (SAXException e) {
            throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "UN list " + source + " is not valid XML: " + e.getMessage(), e);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read UN list " + source + ": " + e.getMessage(), e);
        }
        catch (ParserConfigurationException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "XML parser cannot be configured securely: " + e.getMessage(), e);
        }
    }

    private static VigieException invalid(String source, String message)
    {
        return new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "UN list " + source + ": " + message);
    }
}
