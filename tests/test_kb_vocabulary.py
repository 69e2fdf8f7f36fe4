"""The medicine vocabulary of issue 12 and the label separation rules it reaches.

Each new medicine resolves by its name, its aliases and its US brand names. The
separation windows are built from the knowledge base's own SeparationRule records with
`neurogarden.timing.Window`, and compared minute by minute with the hours the labels
state (fact sheet H3): "X ≥a h before or ≥b h after Mg" keeps magnesium out from b hours
before the dose to a hours after it.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from neurogarden.api import load_kb, load_profile, plan
from neurogarden.kb import models as m
from neurogarden.kb.base import normalise
from neurogarden.planning import timing
from neurogarden.planning.result import Plan

KB = load_kb()

# (what a clinician types, the record it must resolve to)
NAMES = [
    # tetracyclines
    ("doxycycline", "doxycycline"), ("Vibramycin", "doxycycline"), ("Doryx", "doxycycline"),
    ("minocycline", "minocycline"), ("Solodyn", "minocycline"),
    ("tetracycline", "tetracycline"),
    ("demeclocycline", "demeclocycline"), ("Declomycin", "demeclocycline"),
    ("demeclocycline hydrochloride", "demeclocycline"),
    ("omadacycline", "omadacycline"), ("Nuzyra", "omadacycline"),
    ("sarecycline", "sarecycline"), ("Seysara", "sarecycline"),
    # fluoroquinolones
    ("ciprofloxacin", "ciprofloxacin"), ("Cipro XR", "ciprofloxacin"),
    ("levofloxacin", "levofloxacin"), ("Levaquin", "levofloxacin"),
    ("moxifloxacin", "moxifloxacin"), ("Avelox", "moxifloxacin"),
    ("ofloxacin", "ofloxacin"), ("Floxin", "ofloxacin"),
    ("delafloxacin", "delafloxacin"), ("Baxdela", "delafloxacin"),
    ("gemifloxacin", "gemifloxacin"), ("Factive", "gemifloxacin"),
    # other chelating or pH-dependent drugs
    ("baloxavir", "baloxavir"), ("baloxavir marboxil", "baloxavir"), ("Xofluza", "baloxavir"),
    ("rilpivirine", "rilpivirine"), ("Edurant", "rilpivirine"), ("Odefsey", "rilpivirine"),
    ("Complera", "rilpivirine"),
    ("eltrombopag", "eltrombopag"), ("Promacta", "eltrombopag"),
    ("penicillamine", "penicillamine"), ("d-penicillamine", "penicillamine"),
    ("Depen", "penicillamine"), ("Cuprimine", "penicillamine"),
    ("mycophenolate", "mycophenolate-mofetil"), ("mycophenolate mofetil", "mycophenolate-mofetil"),
    ("CellCept", "mycophenolate-mofetil"), ("MMF", "mycophenolate-mofetil"),
    ("mycophenolic acid", "mycophenolic-acid"), ("mycophenolate sodium", "mycophenolic-acid"),
    ("Myfortic", "mycophenolic-acid"),
    # integrase inhibitors and their combinations
    ("dolutegravir", "dolutegravir"), ("Tivicay", "dolutegravir"), ("Triumeq", "dolutegravir"),
    ("Dovato", "dolutegravir"),
    ("Juluca", "dolutegravir-rilpivirine"),
    ("dolutegravir/rilpivirine", "dolutegravir-rilpivirine"),
    ("bictegravir", "bictegravir"), ("Biktarvy", "bictegravir"),
    ("raltegravir", "raltegravir"), ("Isentress", "raltegravir"), ("Isentress HD", "raltegravir"),
    ("cabotegravir", "cabotegravir"), ("Vocabria", "cabotegravir"),
    ("oral cabotegravir", "cabotegravir"),
    ("Cabenuva", "cabotegravir-rilpivirine-injection"), ("Apretude", "cabotegravir-injection"),
    ("elvitegravir", "elvitegravir"), ("Genvoya", "elvitegravir"), ("Stribild", "elvitegravir"),
    ("elvitegravir/cobicistat", "elvitegravir"),
    # mood stabilisers
    ("lithium", "lithium"), ("Lithobid", "lithium"), ("lithium carbonate", "lithium"),
    ("valproate", "valproate"), ("valproic acid", "valproate"), ("divalproex", "valproate"),
    ("Depakote", "valproate"), ("Depakene", "valproate"),
    ("carbamazepine", "carbamazepine"), ("Tegretol", "carbamazepine"), ("Equetro", "carbamazepine"),
    ("lamotrigine", "lamotrigine"), ("Lamictal XR", "lamotrigine"),
    # antidepressants
    ("trazodone", "trazodone"), ("Desyrel", "trazodone"),
    ("mirtazapine", "mirtazapine"), ("Remeron", "mirtazapine"), ("Remeron SolTab", "mirtazapine"),
    ("citalopram", "citalopram"), ("Celexa", "citalopram"),
    ("paroxetine", "paroxetine"), ("Paxil", "paroxetine"),
    ("fluvoxamine", "fluvoxamine"),
    ("venlafaxine", "venlafaxine"), ("Effexor XR", "venlafaxine"),
    ("desvenlafaxine", "desvenlafaxine"), ("Pristiq", "desvenlafaxine"),
    ("duloxetine", "duloxetine"), ("Cymbalta", "duloxetine"),
    ("levomilnacipran", "levomilnacipran"), ("Fetzima", "levomilnacipran"),
    ("vilazodone", "vilazodone"), ("Viibryd", "vilazodone"),
    ("vortioxetine", "vortioxetine"), ("Trintellix", "vortioxetine"),
    ("bupropion", "bupropion"), ("Wellbutrin XL", "bupropion"),
    ("amitriptyline", "amitriptyline"), ("Elavil", "amitriptyline"),
    ("nortriptyline", "nortriptyline"), ("Pamelor", "nortriptyline"),
    ("imipramine", "imipramine"), ("desipramine", "desipramine"),
    ("clomipramine", "clomipramine"), ("Anafranil", "clomipramine"),
    ("doxepin", "doxepin"), ("Silenor", "doxepin"),
    # antipsychotics
    ("quetiapine", "quetiapine"), ("Seroquel", "quetiapine"), ("Seroquel XR", "quetiapine"),
    ("aripiprazole", "aripiprazole"), ("Abilify", "aripiprazole"),
    ("Abilify Maintena", "aripiprazole"),
    ("olanzapine", "olanzapine"), ("Zyprexa", "olanzapine"), ("Zyprexa Zydis", "olanzapine"),
    ("Symbyax", "olanzapine-fluoxetine"),
    ("risperidone", "risperidone"), ("Risperdal", "risperidone"),
    ("haloperidol", "haloperidol"), ("Haldol", "haloperidol"),
    ("clozapine", "clozapine"), ("Clozaril", "clozapine"),
    ("ziprasidone", "ziprasidone"), ("Geodon", "ziprasidone"),
    ("lurasidone", "lurasidone"), ("Latuda", "lurasidone"),
    ("paliperidone", "paliperidone"), ("Invega Sustenna", "paliperidone"),
    ("brexpiprazole", "brexpiprazole"), ("Rexulti", "brexpiprazole"),
    ("cariprazine", "cariprazine"), ("Vraylar", "cariprazine"),
    ("lumateperone", "lumateperone"), ("Caplyta", "lumateperone"),
    ("asenapine", "asenapine"), ("iloperidone", "iloperidone"),
    ("chlorpromazine", "chlorpromazine"), ("perphenazine", "perphenazine"),
    ("fluphenazine", "fluphenazine"),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "expected"), NAMES)
def test_each_medicine_resolves_by_name_alias_and_brand(typed: str, expected: str) -> None:
    assert KB.medications.resolve(typed).id == expected
    assert KB.medications.resolve(typed.upper()).id == expected  # case-insensitive


def test_no_name_or_brand_points_at_two_medicines() -> None:
    """The index keeps the last record for a name: a shared brand would silently resolve
    to one of its drugs only (Juluca is its own record for that reason)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for med in KB.medications.values():
        for name in (med.id, *med.all_names()):
            owners[normalise(name)].add(med.id)
    clashes = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


@pytest.mark.parametrize(
    ("med", "classes"),
    [
        ("demeclocycline", {"tetracycline"}),
        ("omadacycline", {"tetracycline"}),
        ("sarecycline", {"tetracycline"}),
        ("ofloxacin", {"fluoroquinolone"}),
        ("delafloxacin", {"fluoroquinolone"}),
        ("gemifloxacin", {"fluoroquinolone"}),
        ("elvitegravir", {"integrase-inhibitor"}),
        ("valproate", {"mood-stabilizer"}),
        ("carbamazepine", {"mood-stabilizer"}),
        ("venlafaxine", {"snri", "antidepressant"}),
        ("amitriptyline", {"tca", "antidepressant"}),
        ("aripiprazole", {"antipsychotic"}),
        ("quetiapine", {"antipsychotic", "sedative", "sedating-psychotropic"}),
        ("trazodone", {"antidepressant", "sedative", "sedating-psychotropic"}),
        ("mirtazapine", {"antidepressant", "sedative", "sedating-psychotropic"}),
    ],
)
def test_classes(med: str, classes: set[str]) -> None:
    assert classes <= set(KB.medications.by_id[med].classes)


def test_sedating_medicines_are_few_and_cite_their_label() -> None:
    """Only medicines whose label reports somnolence or sedation among its most common
    reactions carry the sedation classes; each cites a label that was read (S or V)."""
    sedating = {m.id for m in KB.medications.values() if "sedating-psychotropic" in m.classes}
    assert {"quetiapine", "trazodone", "mirtazapine"} <= sedating
    assert {"aripiprazole", "haloperidol", "sertraline", "lithium", "valproate"}.isdisjoint(
        sedating
    )
    for mid in sedating:
        med = KB.medications.by_id[mid]
        assert "sedative" in med.classes, mid
        read = [
            s for s in med.sources
            if s.startswith("label-") and KB.sources[s].verification in {"S", "V"}
        ]  # fmt: skip
        assert read, mid


# --- separation windows ------------------------------------------------------------------


def rules_for(med_id: str) -> list[m.SeparationRule]:
    """Every separation rule that reaches a medicine, by its id or by one of its classes."""
    med = KB.medications.by_id[med_id]
    return [
        r for r in KB.separations
        if med_id in r.applies_to.medications or set(med.classes) & set(r.applies_to.classes)
    ]  # fmt: skip


def windows(med_id: str, at: str) -> list[timing.Window]:
    return [
        timing.Window(
            r.id, med_id, at, r.supplement_after_drug_hours, r.supplement_before_drug_hours,
            never=r.never,
        )
        for r in rules_for(med_id)
    ]  # fmt: skip


def forbidden(med_id: str, at: str) -> set[int]:
    ws = windows(med_id, at)
    return {t for t in range(timing.DAY) if any(w.forbids(t) for w in ws)}


def between(start: str, end: str) -> set[int]:
    """The minutes strictly between two clock times (a label's "at least" keeps both ends)."""
    a, b = timing.minutes(start), timing.minutes(end)
    return {(a + k) % timing.DAY for k in range(1, (b - a) % timing.DAY)}


@pytest.mark.parametrize(
    ("med", "at", "start", "end"),
    [
        # Biktarvy ≥2 h before or ≥6 h after Al/Mg antacids (corrected from 2/2)
        ("bictegravir", "08:00", "02:00", "10:00"),
        # Promacta ≥2 h before or ≥4 h after polyvalent cations
        ("eltrombopag", "20:00", "16:00", "22:00"),
        ("eltrombopag", "23:00", "19:00", "01:00"),  # across midnight
        # antacids ≥2 h before or ≥4 h after rilpivirine (the antacid is the subject)
        ("rilpivirine", "08:00", "06:00", "12:00"),
        # oral cabotegravir: cations ≥2 h before or ≥4 h after it
        ("cabotegravir", "08:00", "06:00", "12:00"),
        # dolutegravir ≥2 h before or ≥6 h after
        ("dolutegravir", "08:00", "02:00", "10:00"),
        # Juluca carries both: dolutegravir's 6 h before, rilpivirine's 4 h after
        ("dolutegravir-rilpivirine", "08:00", "02:00", "12:00"),
        # elvitegravir: more than 2 h; no loss at 4 h, so 4 h either side
        ("elvitegravir", "08:00", "04:00", "12:00"),
        # delafloxacin ≥2 h before or ≥6 h after
        ("delafloxacin", "08:00", "02:00", "10:00"),
        # gemifloxacin ≥2 h before or ≥3 h after
        ("gemifloxacin", "08:00", "05:00", "10:00"),
        # ofloxacin 2 h either side
        ("ofloxacin", "08:00", "06:00", "10:00"),
        # omadacycline: 4 h after (label), 4 h fast before, and the class's 6 h before
        ("omadacycline", "08:00", "02:00", "12:00"),
        # tetracyclines without their own rule: ODS 2 h before or 6 h after
        ("sarecycline", "08:00", "02:00", "10:00"),
        ("demeclocycline", "08:00", "02:00", "10:00"),
        # penicillamine: ≥1 h (label), 2 h used; mycophenolate: not together, 2 h (Drugs.com)
        ("penicillamine", "08:00", "06:00", "10:00"),
        ("mycophenolate-mofetil", "08:00", "06:00", "10:00"),
        ("mycophenolic-acid", "08:00", "06:00", "10:00"),
    ],
)
def test_separation_window_matches_the_label(med: str, at: str, start: str, end: str) -> None:
    assert forbidden(med, at) == between(start, end)


def test_omadacycline_keeps_its_own_four_hours_after() -> None:
    """The label's 4 h after the dose is longer than the class rule's 2 h."""
    own = [r for r in rules_for("omadacycline") if r.id == "sep-omadacycline"]
    assert [(r.supplement_after_drug_hours, r.supplement_before_drug_hours) for r in own] == [
        (4, 4)
    ]
    assert timing.minutes("11:59") in forbidden("omadacycline", "08:00")
    assert timing.minutes("12:00") not in forbidden("omadacycline", "08:00")


@pytest.mark.parametrize("med", ["raltegravir", "baloxavir"])
def test_no_spacing_is_enough(med: str) -> None:
    assert any(r.never for r in rules_for(med))
    assert forbidden(med, "08:00") == set(range(timing.DAY))


@pytest.mark.parametrize("med", ["cabotegravir-injection", "cabotegravir-rilpivirine-injection"])
def test_long_acting_injections_have_no_oral_separation(med: str) -> None:
    assert rules_for(med) == []


def test_mycophenolate_rule_says_where_its_hours_come_from() -> None:
    rule = next(r for r in KB.separations if r.id == "sep-mycophenolate")
    assert "no hours" in rule.label_text and "Drugs.com" in rule.label_text
    assert KB.sources["drugs-com-mycophenolate-antacid"].verification == "S"


def test_unread_labels_are_listed_as_unverified() -> None:
    """Demeclocycline's label was not read: its record cites only the U source, so
    `kb check --warnings` lists it."""
    med = KB.medications.by_id["demeclocycline"]
    assert {KB.sources[s].verification for s in med.sources} == {"U"}


# --- the planner uses them ---------------------------------------------------------------------


def _plan(medications: list[dict[str, object]], substances: tuple[str, ...] = ()) -> Plan:
    profile: dict[str, object] = {
        "person": {"age": 40, "sex": "female", "egfr": 90},
        "timezone": "UTC",
        "goals": ["sleep"],
        "routine": {"wake": "07:00", "bed": "23:00"},
        "medications": medications,
        "substances": [{"name": s} for s in substances],
    }
    return plan(load_profile(profile, kb=KB), kb=KB)


@pytest.mark.parametrize(
    ("brand", "at", "start", "end"),
    [("Promacta", "20:00", "16:00", "22:00"), ("Biktarvy", "22:00", "16:00", "00:00")],
)
def test_planned_magnesium_stays_out_of_the_label_window(
    brand: str, at: str, start: str, end: str
) -> None:
    result = _plan([{"name": brand, "times": [at]}])
    times = [t for s in result.supplements for t in s.times]
    assert times, "a magnesium dose is still planned"
    assert all(timing.minutes(t) not in between(start, end) for t in times)


def test_baloxavir_leaves_magnesium_out_with_a_block() -> None:
    result = _plan([{"name": "Xofluza", "times": ["08:00"]}])
    assert result.supplements == ()
    assert any(f.code == "sep-baloxavir-never" and f.severity == "block" for f in result.findings)


@pytest.mark.parametrize("med", ["quetiapine", "trazodone", "mirtazapine"])
def test_sedating_medicines_reach_the_kratom_sedation_rule(med: str) -> None:
    result = _plan([{"name": med, "times": ["22:00"]}], substances=("kratom",))
    codes = {f.code: f.severity for f in result.findings}
    assert codes.get("kratom-with-sedatives") == "block"


def test_a_non_sedating_antipsychotic_does_not() -> None:
    result = _plan([{"name": "aripiprazole", "times": ["08:00"]}], substances=("kratom",))
    assert "kratom-with-sedatives" not in {f.code for f in result.findings}
