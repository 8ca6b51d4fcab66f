"""Synthetic graphs shaped like ours, for the benchmarks (issue 6).

Everything this module makes is **synthetic**: every IRI it mints lives under
``https://w3id.org/ascn-graph/id/synthetic/``, every label says "synthetic",
the quotes are invented sentences written to invented article texts, and the
web pages are under ``https://example.org/synthetic/``. None of it describes
the real ASCN and none of it is ever written under ``data/``.

The shape follows docs/MODELLING.md and the mix of the real graph: member
states with offices, pilot cities and people; tenures of every role over the
years (ASEAN Chair and ASCN Chair by year, with some ASCN Chair years left
unstated so the rule derives them; Shepherd terms; National Representatives,
offices and people, some of them acting; Chief Smart City Officers; focal
points and alternates) with dates at year, month and day precision; pilot-city
memberships and their snapshots; annual meetings with conferences and panels
(``ascn:partOf`` chains), delegations and participations; measurements; known
unknowns; citations with verbatim quotes from synthetic articles or with a
confidence from synthetic web pages; name variants joined with
``ascn:mergedInto`` (and used in participations); alternative accounts with
their ``ascn:Disagreement``. The real ontology (ontology/ascn.ttl) is used
as is.

Deterministic: the same target and seed give byte-identical Turtle.

    python benchmarks/generate.py --triples 10000 --seed 1 --out /tmp/syn10k

writes a project folder (ontology/ and queries/ copied from this checkout,
data/synthetic.ttl, sources/ with the article texts) that ``ascn-graph
--root /tmp/syn10k --sources /tmp/syn10k/sources`` can load.

>>> a = generate(1500, seed=3)
>>> a.turtle == generate(1500, seed=3).turtle
True
>>> a.turtle != generate(1500, seed=4).turtle
True
>>> 1500 <= a.triples < 3000
True
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/ascn-graph/id/synthetic/"
PAGE_BASE = "https://example.org/synthetic/"
FIRST_YEAR = 2018

KINDS = (
    "country city organization person position tenure membership event participation "
    "delegation source disagreement unknown indicator measurement rule-statement"
).split()

PREFIXES = """@prefix ascn: <https://w3id.org/ascn-graph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
""" + "".join(f"@prefix s-{k}: <{BASE}{k}/> .\n" for k in KINDS)

QUOTES_PER_ARTICLE = 60
CITATIONS_PER_PAGE = 40
CAPACITIES = ("ascn:Speaker", "ascn:Panelist", "ascn:Moderator", "ascn:KeynoteSpeaker", "ascn:Presenter")
CONFIDENCE = (
    ("ascn:HighConfidence", "synthetic: an official page"),
    ("ascn:MediumConfidence", "synthetic: one source"),
    ("ascn:LowConfidence", "synthetic: sources that disagree"),
)


def esc(text: str) -> str:
    """A Turtle string body: backslashes, quotes and line breaks escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def en(text: str) -> str:
    return f'"{esc(text)}"@en'


def idn(text: str) -> str:
    return f'"{esc(text)}"@id'


def plain(text: str) -> str:
    return f'"{esc(text)}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


@dataclass
class Synthetic:
    """One synthetic data set: its Turtle, the article texts its quotes come from, and counts."""

    turtle: str
    sources: dict[str, str]
    triples: int
    counts: dict[str, int] = field(default_factory=dict)
    years: int = 0
    countries: int = 0


class Writer:
    """Writes subject blocks as Turtle and counts the triples (no triple is written twice)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = [PREFIXES, "\n# SYNTHETIC benchmark data (benchmarks/generate.py): not real facts.\n\n"]
        self.triples = 0
        self.counts: dict[str, int] = {}
        self.articles: list[list[str]] = []
        self.pages = 0
        self.page_uses = CITATIONS_PER_PAGE
        self.quote_number = 0

    def block(self, subject: str, kind: str | None, pairs: list[tuple[str, str]],
              citations: list[str] = ()) -> None:
        """One subject with its predicate-object pairs and inline citations."""
        lines = [f"a {kind}"] if kind else []
        lines += [f"{p} {o}" for p, o in pairs]
        lines += [f"ascn:citation {c}" for c in citations]
        self.triples += len(lines) + sum(c.count(" ; ") + 1 for c in citations)
        if kind:
            self.counts[kind] = self.counts.get(kind, 0) + 1
        self.parts.append(subject + " " + " ;\n    ".join(lines) + " .\n\n")

    def quote(self, claim: str) -> str:
        """A citation of a synthetic article with a fresh quote that its text contains."""
        if not self.articles or len(self.articles[-1]) >= QUOTES_PER_ARTICLE:
            self.articles.append([])
        self.quote_number += 1
        text = f"Kutipan sintetis {self.quote_number}: {claim}."
        self.articles[-1].append(text)
        source = f"s-source:article-{len(self.articles):05d}"
        self.counts["ascn:Citation"] = self.counts.get("ascn:Citation", 0) + 1
        return f"[ a ascn:Citation ; prov:entity {source} ; ascn:quote {idn(text)} ]"

    def page(self, section: str) -> str:
        """A citation of a synthetic web page, with a confidence and its reason."""
        if self.page_uses >= CITATIONS_PER_PAGE:
            self.pages += 1
            self.page_uses = 0
        self.page_uses += 1
        level, reason = CONFIDENCE[self.rng.randrange(3)]
        self.counts["ascn:Citation"] = self.counts.get("ascn:Citation", 0) + 1
        return (f"[ a ascn:Citation ; prov:entity s-source:page-{self.pages:05d} ; "
                f"ascn:confidence {level} ; ascn:confidenceReason {plain(reason)} ; "
                f"ascn:recordSection {plain(section)} ]")

    def cite(self, claim: str, section: str) -> list[str]:
        """One or two citations: an article quote, a web page, or both (as the contract asks)."""
        roll = self.rng.random()
        if roll < 0.45:
            return [self.quote(claim)]
        if roll < 0.85:
            return [self.page(section)]
        return [self.quote(claim), self.page(section)]


def day(rng: random.Random, year: int) -> str:
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def date_at(rng: random.Random, year: int, precision: str | None = None) -> str:
    """A date in ``year`` at year, month or day precision (the datatype is the precision)."""
    precision = precision or rng.choice(("gYear", "gYearMonth", "date"))
    if precision == "gYear":
        return typed(year, "gYear")
    if precision == "gYearMonth":
        return typed(f"{year:04d}-{rng.randint(1, 12):02d}", "gYearMonth")
    return typed(day(rng, year), "date")


def years_for(target: int) -> int:
    """How many years the synthetic timeline spans for a target size (grows as its square root)."""
    return max(2, round(math.sqrt(target) / 22))


class World:
    """Mints the synthetic network year by year and country by country."""

    def __init__(self, target: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.w = Writer(self.rng)
        self.target = target
        self.years = list(range(FIRST_YEAR, FIRST_YEAR + years_for(target)))
        self.countries: list[str] = []
        self.cities: dict[str, list[str]] = {}
        self.people = 0

    # -- shared things --------------------------------------------------------------------

    def shared(self) -> None:
        w = self.w
        w.block("s-organization:ascn", "ascn:Network", [
            ("rdfs:label", en("Synthetic smart cities network (benchmark)")),
            ("rdfs:label", idn("Jaringan kota cerdas sintetis (tolok ukur)"))])
        w.block("s-organization:asean", "ascn:IntergovernmentalOrganization", [
            ("rdfs:label", en("Synthetic regional association (benchmark)"))])
        w.block("s-position:director-general", "ascn:Position", [
            ("rdfs:label", en("Director General (synthetic)")),
            ("rdfs:label", idn("Direktur Jenderal (sintetis)"))])
        w.block("s-source:record", "ascn:Compilation", [
            ("rdfs:label", en("Synthetic public record (benchmark)"))])
        for name in ("population", "index"):
            w.block(f"s-indicator:{name}", "ascn:Indicator", [
                ("rdfs:label", en(f"synthetic {name}")), ("rdfs:label", idn(f"{name} sintetis"))])
        claim = "Ketua perhimpunan sintetis menjadi Ketua jaringan sintetis"
        w.block("s-rule-statement:chair-follows-association-chair", "ascn:RoleRule", [
            ("rdfs:label", en("Synthetic rule: the association's Chair chairs the network")),
            ("ascn:aboutRole", "ascn:ASCNChair"), ("ascn:derivesFrom", "ascn:ASEANChair"),
            ("ascn:ruleText", en("Synthetic: the ASEAN Chair of a year is the ASCN Chair of that year."))],
            [w.quote(claim)])
        w.block("s-rule-statement:shepherd-term", "ascn:RoleRule", [
            ("rdfs:label", en("Synthetic rule: the Shepherd serves two years, extendable by two")),
            ("ascn:aboutRole", "ascn:Shepherd"), ("ascn:termYears", typed(2, "integer")),
            ("ascn:extensionYears", typed(2, "integer")), ("ascn:maxExtensions", typed(1, "integer"))],
            w.cite("Shepherd sintetis dua tahun", "4"))

    # -- one country with its office, cities, people, tenures and participations --------------

    def person(self, label: str, variant_share: float = 0.06) -> tuple[str, str | None]:
        """A new person; some get a variant IRI (another spelling) merged into them."""
        self.people += 1
        iri = f"s-person:p{self.people:06d}"
        name = f"Synthetic Person {self.people}"
        self.w.block(iri, "ascn:Person", [("rdfs:label", en(name)), ("rdfs:label", idn(name)),
                                          ("rdfs:comment", en(label))])
        if self.rng.random() >= variant_share:
            return iri, None
        variant = iri + "-variant"
        self.w.block(variant, "ascn:Person", [
            ("rdfs:label", en(f"Synthetic Persson {self.people}")),
            ("ascn:mergedInto", iri),
            ("ascn:identityNote", en("Synthetic: another spelling of the same synthetic person."))])
        return iri, variant

    def country(self, number: int) -> None:
        w, rng = self.w, self.rng
        c = f"s-country:c{number:04d}"
        tag = f"c{number:04d}"
        self.countries.append(c)
        w.block(c, "ascn:MemberState", [
            ("rdfs:label", en(f"Synthetic Country {number}")),
            ("rdfs:label", idn(f"Negara Sintetis {number}")),
            ("skos:altLabel", en(f"SC{number}"))])
        office = f"s-organization:office-{tag}"
        w.block(office, "ascn:GovernmentBody", [
            ("rdfs:label", en(f"Synthetic Directorate General of Country {number}")),
            ("rdfs:label", idn(f"Ditjen Sintetis Negara {number}")),
            ("ascn:governmentOf", c)])
        cities = []
        for k in range(1, rng.randint(3, 5) + 1):
            city = f"s-city:{tag}-{k}"
            cities.append(city)
            w.block(city, "ascn:City", [
                ("rdfs:label", en(f"Synthetic City {number}-{k}")),
                ("rdfs:label", idn(f"Kota Sintetis {number}-{k}")),
                ("ascn:localGovernmentType", plain(rng.choice(("kota", "kabupaten")))),
                ("ascn:locatedIn", c)])
        self.cities[c] = cities
        # the office holds the National Representative role over the whole timeline
        label = f"Synthetic DG of Country {number} as National Representative"
        w.block(f"s-tenure:nr-office-{tag}", "ascn:Tenure", [
            ("rdfs:label", en(label)), ("org:member", office),
            ("org:role", "ascn:NationalRepresentative"), ("org:organization", "s-organization:ascn"),
            ("ascn:forCountry", c), ("ascn:startDate", typed(self.years[0], "gYear"))],
            w.cite(label, "6"))
        self.national_representatives(number, c, office)
        for i, city in enumerate(cities, start=1):
            self.pilot_city(number, i, c, city)
            self.csco(number, i, c, city)
        self.delegations(number, c, office, cities)

    def national_representatives(self, number: int, c: str, office: str) -> None:
        """People as NR (month precision, two-year terms), an alternate, a focal point, and
        officials acting as Director General (from whom the rule derives the NR role)."""
        w, rng = self.w, self.rng
        tag = f"c{number:04d}"
        for start in self.years[::2]:
            person, variant = self.person(f"synthetic NR of Country {number} from {start}")
            iri = f"s-tenure:nr-{tag}-{start}"
            end = start + 2
            label = f"Synthetic Person as NR of Country {number}, {start}-{end}"
            pairs = [("rdfs:label", en(label)), ("org:member", person),
                     ("org:role", "ascn:NationalRepresentative"),
                     ("org:organization", "s-organization:ascn"), ("ascn:forCountry", c),
                     ("ascn:howBegan", "ascn:Appointed"),
                     ("ascn:startDate", date_at(rng, start, "gYearMonth")),
                     ("ascn:endDate", date_at(rng, end, "gYearMonth"))]
            w.block(iri, "ascn:Tenure", pairs, w.cite(label, "6"))
            if rng.random() < 0.15:  # another source gives other dates
                self.alternative(iri, person, "ascn:NationalRepresentative", c, start + 1, end + 1)
            if rng.random() < 0.5:
                when = day(rng, start)
                label = f"Synthetic Person acting as Director General of Country {number}, {when}"
                w.block(f"s-tenure:acting-dg-{tag}-{start}", "ascn:Tenure", [
                    ("rdfs:label", en(label)), ("org:member", variant or person),
                    ("org:role", "s-position:director-general"), ("org:organization", office),
                    ("ascn:howBegan", "ascn:Acting"), ("ascn:actingFor", office),
                    ("ascn:attestedOn", typed(when, "date")),
                    ("ascn:attestedAt", f"s-event:annual-meeting-{start}")],
                    w.cite(label, "7a"))
        person, _ = self.person(f"synthetic focal point of Country {number}")
        for role, name in (("ascn:FocalPoint", "focal point"),
                           ("ascn:NationalRepresentativeAlternate", "NR alternate")):
            year = rng.choice(self.years)
            label = f"Synthetic Person as {name} of Country {number}, {year}"
            w.block(f"s-tenure:{name.replace(' ', '-')}-{tag}", "ascn:Tenure", [
                ("rdfs:label", en(label)), ("org:member", person), ("org:role", role),
                ("org:organization", "s-organization:ascn"), ("ascn:forCountry", c),
                ("ascn:attestedOn", date_at(rng, year))], w.cite(label, "7a"))

    def alternative(self, main: str, holder: str, role: str, c: str, start: int, end: int) -> None:
        """Another source's account of a tenure, and the disagreement between the two."""
        w = self.w
        alt = main + "-alt"
        label = f"Synthetic alternative account of {main.split(':')[1]}, {start}-{end}"
        w.block(alt, "ascn:Tenure", [
            ("rdfs:label", en(label)), ("org:member", holder), ("org:role", role),
            ("org:organization", "s-organization:ascn"), ("ascn:forCountry", c),
            ("ascn:startDate", typed(start, "gYear")), ("ascn:endDate", typed(end, "gYear")),
            ("ascn:alternativeAccountOf", main)], [w.page("9")])
        name = main.split(":")[1]
        w.block(f"s-disagreement:{name}", "ascn:Disagreement", [
            ("rdfs:label", en(f"Synthetic disagreement on {name}")),
            ("ascn:disagreementId", plain(f"SD-{name}")), ("ascn:sideA", main), ("ascn:sideB", alt),
            ("ascn:reading", en("synthetic reading: the first account (medium)"))], [w.page("9")])

    def pilot_city(self, number: int, i: int, c: str, city: str) -> None:
        """Membership (joined, year precision), a candidate snapshot and yearly snapshots."""
        w, rng = self.w, self.rng
        slug = city.split(":")[1]
        joined = rng.choice(self.years)
        if joined > self.years[0]:
            label = f"Synthetic City {number}-{i} as candidate member, {joined - 1}"
            w.block(f"s-membership:{slug}-candidate", "ascn:PilotCityMembership", [
                ("rdfs:label", en(label)), ("org:member", city),
                ("org:organization", "s-organization:ascn"), ("ascn:status", "ascn:CandidateMember"),
                ("ascn:attestedOn", date_at(rng, joined - 1, "gYearMonth"))], w.cite(label, "2a"))
        label = f"Synthetic City {number}-{i} as pilot city"
        w.block(f"s-membership:{slug}", "ascn:PilotCityMembership", [
            ("rdfs:label", en(label)), ("rdfs:label", idn(f"Kota Sintetis {number}-{i} sebagai kota percontohan")),
            ("org:member", city), ("org:organization", "s-organization:ascn"),
            ("ascn:status", "ascn:Member"), ("ascn:startDate", typed(joined, "gYear")),
            ("ascn:announcedAt", f"s-event:annual-meeting-{joined}")], w.cite(label, "2a"))
        for year in self.years:
            if year > joined and rng.random() < 0.35:
                label = f"Synthetic City {number}-{i} as pilot city, attested {year}"
                w.block(f"s-membership:{slug}-{year}", "ascn:PilotCityMembership", [
                    ("rdfs:label", en(label)), ("org:member", city),
                    ("org:organization", "s-organization:ascn"), ("ascn:status", "ascn:Member"),
                    ("ascn:attestedOn", date_at(rng, year))], w.cite(label, "2b"))
            if year >= joined and rng.random() < 0.2:
                label = f"Synthetic population of Synthetic City {number}-{i}, {year}"
                w.block(f"s-measurement:{slug}-{year}", "ascn:Measurement", [
                    ("rdfs:label", en(label)), ("ascn:indicator", "s-indicator:population"),
                    ("ascn:value", typed(rng.randint(10_000, 9_000_000), "integer")),
                    ("ascn:unit", plain("people")), ("ascn:year", typed(year, "gYear")),
                    ("ascn:place", city)], w.cite(label, "8"))
        if rng.random() < 0.1:
            label = f"Synthetic: when Synthetic City {number}-{i} named its first CSCO is not known"
            w.block(f"s-unknown:{slug}-first-csco", "ascn:Unknown", [
                ("rdfs:label", en(label)), ("ascn:concerns", city),
                ("ascn:unknownProperty", "ascn:startDate"),
                ("ascn:question", en("Synthetic: when did the first CSCO start?"))], [w.page("10")])

    def csco(self, number: int, i: int, c: str, city: str) -> None:
        """Chief Smart City Officers of a city, at day precision, three-year terms."""
        w, rng = self.w, self.rng
        slug = city.split(":")[1]
        for start in self.years[::3]:
            person, _ = self.person(f"synthetic CSCO of Synthetic City {number}-{i}")
            end = min(start + 3, self.years[-1] + 1)
            label = f"Synthetic Person as CSCO of Synthetic City {number}-{i}, {start}-{end}"
            w.block(f"s-tenure:csco-{slug}-{start}", "ascn:Tenure", [
                ("rdfs:label", en(label)), ("org:member", person),
                ("org:role", "ascn:ChiefSmartCityOfficer"), ("org:organization", "s-organization:ascn"),
                ("ascn:forCity", city), ("ascn:forCountry", c), ("ascn:howBegan", "ascn:Appointed"),
                ("ascn:startDate", typed(day(rng, start), "date")),
                ("ascn:endDate", typed(day(rng, end), "date"))], w.cite(label, "5"))

    def delegations(self, number: int, c: str, office: str, cities: list[str]) -> None:
        """A delegation to each annual meeting, its head and members, and a panel speaker."""
        w, rng = self.w, self.rng
        tag = f"c{number:04d}"
        for year in self.years:
            meeting = f"s-event:annual-meeting-{year}"
            delegation = f"s-delegation:{tag}-{year}"
            label = f"Synthetic delegation of Country {number} to the {year} synthetic annual meeting"
            w.block(delegation, "ascn:Delegation", [
                ("rdfs:label", en(label)), ("ascn:forCountry", c), ("ascn:delegationTo", meeting),
                ("ascn:hasMember", office)], w.cite(label, "3a"))
            head, variant = self.person(f"synthetic delegation head, Country {number}, {year}", 0.1)
            members = [(variant or head, "ascn:DelegationHead", meeting)]
            members += [(city, "ascn:DelegationMember", meeting) for city in cities[:2]]
            speaker = rng.choice(cities)
            panel = f"s-event:panel-{year}-{rng.randint(1, 3)}"
            members.append((speaker, rng.choice(CAPACITIES), panel))
            for k, (who, capacity, event) in enumerate(members, start=1):
                label = f"Synthetic participation {k} of Country {number} at {event.split(':')[1]}"
                pairs = [("rdfs:label", en(label)), ("ascn:participant", who), ("ascn:event", event),
                         ("ascn:capacity", capacity), ("ascn:representing", c),
                         ("ascn:inDelegation", delegation)]
                if capacity == "ascn:DelegationHead":
                    pairs += [("ascn:affiliation", office), ("ascn:position", "s-position:director-general")]
                else:
                    pairs.append(("ascn:speakingOrder", typed(k, "positiveInteger")))
                w.block(f"s-participation:{tag}-{year}-{k}", "ascn:Participation", pairs,
                        w.cite(label, "3a"))

    # -- the years: chairs, Shepherds, meetings ------------------------------------------------

    def timeline(self) -> None:
        w, rng = self.w, self.rng
        n = len(self.countries)
        for number, year in enumerate(self.years):
            chair = self.countries[number % n]
            host_city = self.cities[chair][0]
            label = f"{chair.split(':')[1]} as synthetic ASEAN Chair, {year}"
            w.block(f"s-tenure:asean-chair-{year}", "ascn:Tenure", [
                ("rdfs:label", en(label)), ("org:member", chair), ("org:role", "ascn:ASEANChair"),
                ("org:organization", "s-organization:asean"), ("ascn:forYear", typed(year, "gYear")),
                ("ascn:howBegan", "ascn:ByRotation")], w.cite(label, "1a"))
            if rng.random() < 0.7:  # the other years are left for the rule to derive
                label = f"{chair.split(':')[1]} as synthetic ASCN Chair, {year}"
                w.block(f"s-tenure:ascn-chair-{year}", "ascn:Tenure", [
                    ("rdfs:label", en(label)), ("org:member", chair), ("org:role", "ascn:ASCNChair"),
                    ("org:organization", "s-organization:ascn"), ("ascn:forYear", typed(year, "gYear"))],
                    w.cite(label, "1b"))
            meeting = f"s-event:annual-meeting-{year}"
            start = day(rng, year)
            label = f"Synthetic annual meeting {number + 1}, {year}"
            w.block(meeting, "ascn:AnnualMeeting", [
                ("rdfs:label", en(label)), ("rdfs:label", idn(f"Pertemuan tahunan sintetis ke-{number + 1}")),
                ("ascn:ordinal", typed(number + 1, "positiveInteger")),
                ("ascn:theme", en(f"Synthetic theme {number + 1}")),
                ("ascn:startDate", typed(start, "date")), ("ascn:endDate", typed(start, "date")),
                ("ascn:heldIn", host_city), ("ascn:hostedBy", chair), ("ascn:format", "ascn:InPerson")],
                w.cite(label, "3a"))
            conference = f"s-event:conference-{year}"
            w.block(conference, "ascn:Conference", [
                ("rdfs:label", en(f"Synthetic conference of the {year} meeting")),
                ("ascn:partOf", meeting), ("ascn:heldIn", host_city),
                ("ascn:startDate", typed(start, "date"))], w.cite(f"Konferensi sintetis {year}", "3a"))
            for k in range(1, 4):
                w.block(f"s-event:panel-{year}-{k}", "ascn:PanelSession", [
                    ("rdfs:label", en(f"Synthetic panel {k} of the {year} conference")),
                    ("ascn:partOf", conference), ("ascn:theme", en(f"Synthetic panel theme {k}"))],
                    w.cite(f"Panel sintetis {k} tahun {year}", "3b"))
        for number, start in enumerate(self.years[::2]):
            holder = self.countries[(number * 3 + 1) % n]
            main = f"s-tenure:shepherd-{start}"
            label = f"{holder.split(':')[1]} as synthetic Shepherd, {start}-{start + 2}"
            w.block(main, "ascn:Tenure", [
                ("rdfs:label", en(label)), ("org:member", holder), ("org:role", "ascn:Shepherd"),
                ("org:organization", "s-organization:ascn"),
                ("ascn:howBegan", "ascn:Elected" if number % 2 == 0 else "ascn:Reelected"),
                ("ascn:beganAt", f"s-event:annual-meeting-{start}"),
                ("ascn:termNumber", typed(1 + number % 2, "positiveInteger")),
                ("ascn:startDate", typed(start, "gYear")), ("ascn:endDate", typed(start + 2, "gYear"))],
                w.cite(label, "4"))
            if rng.random() < 0.3:
                self.alternative(main, holder, "ascn:Shepherd", holder, start + 1, start + 3)
            chair_rep, _ = self.person(f"synthetic representative of the chair, {start}")
            label = f"Synthetic Person as representative of the ASCN Chair, {start}"
            w.block(f"s-tenure:chair-representative-{start}", "ascn:Tenure", [
                ("rdfs:label", en(label)), ("org:member", chair_rep),
                ("org:role", "ascn:ChairRepresentative"), ("org:organization", "s-organization:ascn"),
                ("ascn:attestedAt", f"s-event:annual-meeting-{start}")], w.cite(label, "1b"))

    def sources(self) -> dict[str, str]:
        """Describe the synthetic articles and pages; return the article texts by file name."""
        w = self.w
        texts = {}
        for number, quotes in enumerate(w.articles, start=1):
            name = f"synthetic-article-{number:05d}.txt"
            w.block(f"s-source:article-{number:05d}", "ascn:Article", [
                ("rdfs:label", en(f"Synthetic article {number} (benchmark, not a real source)")),
                ("ascn:fileName", plain(name)), ("dcterms:language", plain("id")),
                ("ascn:publisherName", plain("Synthetic publisher"))])
            texts[name] = (f"Artikel sintetis {number} (data tolok ukur, bukan sumber nyata).\n"
                           + "\n".join(quotes) + "\n")
        for number in range(1, w.pages + 1):
            w.block(f"s-source:page-{number:05d}", "ascn:WebPage", [
                ("rdfs:label", en(f"Synthetic web page {number}")),
                ("schema:url", typed(f"{PAGE_BASE}page-{number:05d}", "anyURI")),
                ("dcterms:title", plain(f"Synthetic page {number}")),
                ("ascn:publisherName", plain("Synthetic web publisher")),
                ("dcterms:source", "s-source:record")])
        return texts


def generate(target: int, seed: int = 1) -> Synthetic:
    """About ``target`` synthetic data triples (at least 2 countries), deterministic in ``seed``."""
    world = World(target, seed)
    world.shared()
    # countries are added until the data (with the years' chairs and meetings and the
    # source descriptions, estimated per year and per citation) reaches the target
    per_year = 70 + 12 * 4
    number = 0
    while number < 2 or world.w.triples + per_year * len(world.years) + world.w.counts.get(
            "ascn:Citation", 0) * 0.12 < target:
        number += 1
        world.country(number)
    world.timeline()
    texts = world.sources()
    w = world.w
    return Synthetic("".join(w.parts), texts, w.triples, dict(sorted(w.counts.items())),
                     len(world.years), len(world.countries))


def write_project(folder: Path, target: int, seed: int = 1, root: Path = ROOT) -> Synthetic:
    """A project folder: the real ontology/ and queries/, data/synthetic.ttl and sources/.

    ``folder`` must not be inside this checkout's data/.
    """
    folder = Path(folder).resolve()
    if (root / "data").resolve() in (folder, *folder.parents):
        raise ValueError("synthetic data never goes under data/")
    synthetic = generate(target, seed)
    for part in ("ontology", "queries"):
        if (folder / part).exists():
            shutil.rmtree(folder / part)
        shutil.copytree(root / part, folder / part)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "synthetic.ttl").write_text(synthetic.turtle, encoding="utf-8")
    sources = folder / "sources"
    if sources.exists():
        shutil.rmtree(sources)
    sources.mkdir()
    for name, text in synthetic.sources.items():
        (sources / name).write_text(text, encoding="utf-8")
    return synthetic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=10_000, help="target number of data triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="project folder to write (outside data/)")
    args = parser.parse_args(argv)
    synthetic = write_project(Path(args.out), args.triples, args.seed)
    print(f"{synthetic.triples} data triples, {synthetic.countries} countries, "
          f"{synthetic.years} years, {len(synthetic.sources)} articles -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
