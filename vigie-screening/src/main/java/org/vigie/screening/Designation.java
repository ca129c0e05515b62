package org.vigie.screening;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One designated person, entity, vessel or aircraft of a sanctions list. {@code id} is the list's
 * reference: the UN reference number (QDi.001) or the OFAC entry number (2674); {@code list} plus
 * {@code id} is unique.
 */
public record Designation(
        String list,
        String id,
        EntityType type,
        String primaryName,
        List<Alias> aliases,
        List<String> originalScriptNames,
        List<BirthDate> birthDates,
        List<String> placesOfBirth,
        List<String> nationalities,
        List<String> documents,
        List<String> addresses,
        List<String> programs,
        Optional<LocalDate> listedOn,
        String remarks)
{
    public Designation
    {
        requireNonNull(list, "list is null");
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(primaryName, "primaryName is null");
        aliases = List.copyOf(requireNonNull(aliases, "aliases is null"));
        originalScriptNames = List.copyOf(requireNonNull(originalScriptNames, "originalScriptNames is null"));
        birthDates = List.copyOf(requireNonNull(birthDates, "birthDates is null"));
        placesOfBirth = List.copyOf(requireNonNull(placesOfBirth, "placesOfBirth is null"));
        nationalities = List.copyOf(requireNonNull(nationalities, "nationalities is null"));
        documents = List.copyOf(requireNonNull(documents, "documents is null"));
        addresses = List.copyOf(requireNonNull(addresses, "addresses is null"));
        programs = List.copyOf(requireNonNull(programs, "programs is null"));
        requireNonNull(listedOn, "listedOn is null");
        requireNonNull(remarks, "remarks is null");
    }

    /** The list-qualified key, e.g. UN:QDi.001. */
    public String key()
    {
        return list + ":" + id;
    }

    /** Every name under which the designation is listed: the primary name, the aliases, then original-script names. */
    public List<String> allNames()
    {
        List<String> names = new ArrayList<>();
        names.add(primaryName);
        aliases.forEach(alias -> names.add(alias.name()));
        names.addAll(originalScriptNames);
        return List.copyOf(names);
    }

    /** A copy without the given alias (used to measure held-out recall). */
    public Designation withoutAlias(Alias alias)
    {
        List<Alias> remaining = new ArrayList<>(aliases);
        remaining.remove(alias);
        return new Designation(list, id, type, primaryName, remaining, originalScriptNames, birthDates, placesOfBirth, nationalities, documents, addresses, programs, listedOn, remarks);
    }
}
