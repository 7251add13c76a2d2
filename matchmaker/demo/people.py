"""The people of the demo: a fictional Wales of creative organisations, link workers and commissioners.

Everything here is invented: places, organisations and people. The health boards are the real
seven, because the reference data is. Generation is seeded, so every installation gets the same
people; loading twice adds nothing (people are found by their email address).

Emails are stable and others rely on them: creative01@demo.example.org ..., linkworker01@...,
commissioner01@....
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Approval,
    ArtForm,
    CommissionerKind,
    CommissionerProfile,
    Condition,
    CreativeCondition,
    CreativeProfile,
    Experience,
    HealthBoard,
    Horizon,
    LinkWorkerProfile,
    OrganisationKind,
    PrescribingLink,
    Role,
    User,
    utcnow,
)
from matchmaker.profiles.service import organisation_key

DOMAIN = "demo.example.org"
SEED = 20270301

A, C, S, G, F = (
    OrganisationKind.ARTS_ORGANISATION,
    OrganisationKind.CHARITY,
    OrganisationKind.SOCIAL_ENTERPRISE,
    OrganisationKind.COMMUNITY_GROUP,
    OrganisationKind.FREELANCER,
)

# (organisation, home board, kind, Welsh-speaking, main art forms, contact name for freelancers)
ORGANISATIONS: list[tuple[str, str, OrganisationKind, bool, tuple[str, ...], str | None]] = [
    ("Cwm Eithin Community Choir", "aneurin-bevan", G, False, ("singing",), None),
    ("Pontyderwen Arts Collective", "aneurin-bevan", A, False, ("visual-art", "crafts"), None),
    ("Blaen-y-Glyn Clay Studio", "aneurin-bevan", S, False, ("crafts",), None),
    ("Stepping Stones Dance Company", "aneurin-bevan", C, False, ("dance",), None),
    ("Abergwyn Writers' Circle", "aneurin-bevan", G, False, ("creative-writing", "poetry"), None),
    ("Ironworks Theatre Lab", "aneurin-bevan", A, False, ("theatre",), None),
    ("Green Canopy Arts", "aneurin-bevan", C, False, ("nature-arts", "visual-art"), None),
    ("Canu'r Cwm", "aneurin-bevan", G, True, ("singing", "music"), None),
    ("Pritchard Illustration", "aneurin-bevan", F, False, ("visual-art",), "Ffion Pritchard"),
    ("Theatr Fach Llanfeuno", "betsi-cadwaladr", A, True, ("theatre", "storytelling"), None),
    ("Côr Bryn Menai", "betsi-cadwaladr", G, True, ("singing",), None),
    ("Cylch Celf Porth Tegid", "betsi-cadwaladr", G, True, ("visual-art",), None),
    ("Menter Crefft Dyffryn Alaw", "betsi-cadwaladr", S, True, ("crafts", "heritage"), None),
    ("Coastline Movement", "betsi-cadwaladr", C, False, ("dance",), None),
    ("Seaglass Printmakers", "betsi-cadwaladr", A, False, ("visual-art", "crafts"), None),
    ("Hafan Sound Project", "betsi-cadwaladr", C, False, ("music",), None),
    ("Open Door Photography Club", "betsi-cadwaladr", G, False, ("photography-film",), None),
    ("Straeon Nia Haf", "betsi-cadwaladr", F, True, ("storytelling",), "Nia Haf Roberts"),
    ("Bryniau Heritage Trail Group", "betsi-cadwaladr", G, False, ("heritage", "nature-arts"), None),
    ("Pixel Harbour Digital Arts", "betsi-cadwaladr", S, False, ("digital-arts",), None),
    ("Harbourside Music Cooperative", "cardiff-vale", S, False, ("music",), None),
    ("Elmfield Community Dance", "cardiff-vale", G, False, ("dance",), None),
    ("Heol Fach Theatre Company", "cardiff-vale", A, False, ("theatre",), None),
    ("Inkwell and Ivy Writing Workshops", "cardiff-vale", S, False, ("creative-writing",), None),
    ("Canvas for Calm", "cardiff-vale", C, False, ("visual-art",), None),
    ("Glanfa Arts", "cardiff-vale", A, False, ("visual-art", "digital-arts"), None),
    ("Lleisiau'r Bae", "cardiff-vale", G, True, ("singing",), None),
    ("Brightwater Film Collective", "cardiff-vale", A, False, ("photography-film",), None),
    ("Okafor Music Sessions", "cardiff-vale", F, False, ("music",), "Samuel Okafor"),
    ("The Mending Room", "cardiff-vale", C, False, ("crafts",), None),
    ("Fernhill Garden Arts", "cardiff-vale", C, False, ("nature-arts",), None),
    ("Cwmderwen Brass and Voices", "cwm-taf-morgannwg", G, False, ("music", "singing"), None),
    ("Nant Coch Theatre", "cwm-taf-morgannwg", A, False, ("theatre",), None),
    ("Pen-y-Waun Memory Café Arts", "cwm-taf-morgannwg", C, False, ("music", "heritage"), None),
    ("Ystrad Isaf Craft Circle", "cwm-taf-morgannwg", G, False, ("crafts",), None),
    ("Cerdd Gymunedol Glyn Coch", "cwm-taf-morgannwg", S, True, ("music",), None),
    ("Hillside Makers", "cwm-taf-morgannwg", S, False, ("crafts", "visual-art"), None),
    ("Lantern Parade Arts", "cwm-taf-morgannwg", A, False, ("visual-art", "theatre"), None),
    ("Bethan Rowlands Dance", "cwm-taf-morgannwg", F, False, ("dance",), "Bethan Rowlands"),
    ("Slate and Song", "cwm-taf-morgannwg", A, False, ("singing", "heritage"), None),
    ("Cwmni Drama Glan Eithin", "hywel-dda", A, True, ("theatre",), None),
    ("Tonnau Arts Collective", "hywel-dda", A, False, ("visual-art", "music"), None),
    ("Saltmarsh Stitchers", "hywel-dda", G, False, ("crafts",), None),
    ("Llais Gwerin Aberllwyd", "hywel-dda", G, True, ("singing", "music"), None),
    ("Wild Coast Nature Art", "hywel-dda", S, False, ("nature-arts",), None),
    ("Gweithdy Geiriau", "hywel-dda", S, True, ("creative-writing", "poetry"), None),
    ("Harbour Lights Photography", "hywel-dda", G, False, ("photography-film",), None),
    ("Estuary Drummers", "hywel-dda", G, False, ("music",), None),
    ("Crochenwaith Rhys ap Gwilym", "hywel-dda", F, True, ("crafts",), "Rhys ap Gwilym"),
    ("Capel Hen Arts Centre", "hywel-dda", C, False, ("visual-art", "theatre", "music"), None),
    ("Hafren Hills Music", "powys", C, False, ("music",), None),
    ("Borderlands Puppetry", "powys", A, False, ("theatre", "crafts"), None),
    ("Celf y Mynydd", "powys", G, True, ("visual-art", "nature-arts"), None),
    ("Upland Ways Walking and Drawing", "powys", S, False, ("nature-arts", "visual-art"), None),
    ("Llanhafren Community Dance", "powys", G, False, ("dance",), None),
    ("The Wool Barn Makers", "powys", S, False, ("crafts", "heritage"), None),
    ("Mari Elin, Bardd", "powys", F, True, ("poetry", "creative-writing"), "Mari Elin Huws"),
    ("Bayside Singers for Breathing", "swansea-bay", C, False, ("singing",), None),
    ("Copperworks Creative", "swansea-bay", A, False, ("visual-art", "heritage"), None),
    ("Dunes and Dialogue Theatre", "swansea-bay", A, False, ("theatre",), None),
    ("Gŵyl Fach Glan-y-Môr", "swansea-bay", G, True, ("music", "storytelling"), None),
    ("Tidal Rhythms Samba", "swansea-bay", G, False, ("music", "dance"), None),
    ("Sketchbook Saturdays", "swansea-bay", G, False, ("visual-art",), None),
    ("Neon Kite Digital", "swansea-bay", S, False, ("digital-arts", "photography-film"), None),
]

# Organisations (by index) with a second member who has their own account and profile.
TWO_MEMBERS = (1, 5, 10, 20, 33, 41, 49, 58)

NEIGHBOURS = {
    "aneurin-bevan": ("cardiff-vale", "cwm-taf-morgannwg", "powys"),
    "betsi-cadwaladr": ("powys",),
    "cardiff-vale": ("cwm-taf-morgannwg", "aneurin-bevan"),
    "cwm-taf-morgannwg": ("cardiff-vale", "swansea-bay", "aneurin-bevan"),
    "hywel-dda": ("swansea-bay", "powys"),
    "powys": ("betsi-cadwaladr", "hywel-dda", "aneurin-bevan"),
    "swansea-bay": ("hywel-dda", "cwm-taf-morgannwg"),
}

# How often each condition comes up: a few common ones and a long tail.
CONDITION_WEIGHTS = {
    "dementia": 14,
    "mental-health": 14,
    "loneliness": 12,
    "stroke": 6,
    "parkinsons": 5,
    "respiratory": 5,
    "chronic-pain": 5,
    "cancer": 4,
    "learning-disability": 4,
    "frailty-falls": 3,
    "long-covid": 3,
    "cyp-mental-health": 3,
    "end-of-life": 2,
    "substance-use": 2,
    "perinatal": 1,
}

FIRST_NAMES = [
    "Alys",
    "Angharad",
    "Aled",
    "Bethan",
    "Bryn",
    "Carys",
    "Cerys",
    "Dafydd",
    "Delyth",
    "Dylan",
    "Eleri",
    "Elis",
    "Emyr",
    "Ffion",
    "Gareth",
    "Gethin",
    "Gwen",
    "Hywel",
    "Iestyn",
    "Ioan",
    "Lowri",
    "Mared",
    "Meinir",
    "Morgan",
    "Nerys",
    "Osian",
    "Rhian",
    "Rhodri",
    "Sioned",
    "Tomos",
    "Amy",
    "Ben",
    "Chloe",
    "Daniel",
    "Emma",
    "Hannah",
    "James",
    "Kate",
    "Liam",
    "Mohammed",
    "Priya",
    "Rachel",
    "Sophie",
    "Tom",
    "Zainab",
    "Grace",
    "Joseph",
    "Leah",
    "Oliver",
    "Ruth",
]
SURNAMES = [
    "Bowen",
    "Davies",
    "Edwards",
    "Evans",
    "Griffiths",
    "Howells",
    "Hughes",
    "Jenkins",
    "Jones",
    "Lewis",
    "Llewellyn",
    "Morgan",
    "Morris",
    "Owen",
    "Parry",
    "Powell",
    "Price",
    "Pugh",
    "Rees",
    "Richards",
    "Roberts",
    "Thomas",
    "Vaughan",
    "Watkins",
    "Williams",
    "Ahmed",
    "Clarke",
    "Khan",
    "Mensah",
    "Patel",
    "Walker",
    "Wright",
    "Baker",
    "Cooper",
    "Hall",
]

# How each condition reads after "people living with ...", for the English descriptions.
LIVING_WITH = {
    "dementia": "dementia",
    "stroke": "the effects of a stroke",
    "parkinsons": "Parkinson's",
    "mental-health": "mental health problems",
    "loneliness": "anxiety, loneliness or isolation",
    "chronic-pain": "chronic pain",
    "long-covid": "long COVID",
    "cancer": "cancer",
    "respiratory": "COPD and other breathing conditions",
    "learning-disability": "a learning disability",
    "frailty-falls": "frailty or a fear of falling",
    "substance-use": "addiction, or in recovery",
    "perinatal": "mental health problems around pregnancy and birth",
    "cyp-mental-health": "mental health problems, children and young people among them",
    "end-of-life": "a terminal illness, or with bereavement",
}

DESCRIPTIONS_EN = [
    "{name} runs weekly {art} sessions for adults living with {cond}. We welcome people who have "
    "never tried {art} before, and carers are always welcome to join in.",
    "A small team offering {art} groups in community halls, libraries and online. Many of the people "
    "who come to us are living with {cond}; some are referred by their GP practice, most find us by word of mouth.",
    "We take {art} to people who find it hard to get out: care homes, hospital day units and people's "
    "own homes. Our longest-running group is for people living with {cond}.",
    "{name} is a friendly, volunteer-led group. We meet every week for {art}, a cup of tea and a chat. "
    "Several members first came to us through a group for people living with {cond}.",
    "Short courses in {art}, six to ten weeks long, designed with people living with {cond} and the "
    "staff who support them. We evaluate every course with the participants.",
    "Creative sessions rooted in our local landscape and history. We mix {art} with walking and "
    "conversation, and have worked with groups of people living with {cond}.",
]

DESCRIPTIONS_CY = [
    "Mae {name} yn cynnal sesiynau wythnosol i oedolion, wyneb yn wyneb ac ar-lein. "
    "Ein prif feysydd: {arts}. Rydym yn gweithio'n aml gyda phobl sy'n byw gyda'r canlynol: {conds}.",
    "Grŵp bach sy'n dod â'r celfyddydau i gartrefi gofal, canolfannau cymunedol a chartrefi pobl. "
    "Celfyddydau: {arts}. Profiad gyda: {conds}.",
    "Croeso i bawb, yn Gymraeg ac yn Saesneg. Celfyddydau: {arts}. "
    "Mae llawer o'n haelodau'n byw gyda'r canlynol: {conds}.",
]

ACCESS_OTHER = [
    "A quiet room to step out to, please.",
    "Step-free access and an accessible toilet.",
    "Papers sent a few days before the meeting, please.",
    "Plain English, and time to answer.",
]

LINK_WORKER_EMPLOYERS = [
    ("Cwm Eithin Voluntary Council", "aneurin-bevan", "North Eithin"),
    ("Pontyderwen Medical Practice", "aneurin-bevan", "Pontyderwen and Abergwyn"),
    ("Cyngor Gwirfoddol Bryniau Clwyd", "betsi-cadwaladr", "Bryniau"),
    ("Menai Social Prescribing Network", "betsi-cadwaladr", "Menai West"),
    ("Porth Tegid Community Connectors", "betsi-cadwaladr", ""),
    ("Elmfield Health Centre", "cardiff-vale", "City East"),
    ("Vale Wellbeing Connectors", "cardiff-vale", "Western Vale"),
    ("Cwmderwen Community Links", "cwm-taf-morgannwg", "Cwmderwen Upper"),
    ("Glyn Coch Surgery", "cwm-taf-morgannwg", "Glyn Coch"),
    ("Cysylltwyr Cymunedol Aberllwyd", "hywel-dda", "Aberllwyd"),
    ("West Coast Wellbeing Hub", "hywel-dda", "Estuary"),
    ("Hafren Valley Voluntary Action", "powys", "North Hafren"),
    ("Upland Practices Partnership", "powys", ""),
    ("Bayside Community Health", "swansea-bay", "Bayside"),
    ("Copperworks Medical Group", "swansea-bay", "Lower Valley"),
]

COMMISSIONERS = [
    ("Aneurin Bevan University Health Board", CommissionerKind.HEALTH_BOARD, "Arts in Health Lead", ("aneurin-bevan",)),
    (
        "Betsi Cadwaladr University Health Board",
        CommissionerKind.HEALTH_BOARD,
        "Head of Mental Health Commissioning",
        ("betsi-cadwaladr",),
    ),
    ("Cyngor Sir Glan Eithin", CommissionerKind.LOCAL_AUTHORITY, "Community Wellbeing Commissioner", ("hywel-dda",)),
    (
        "Cwmderwen County Borough Council",
        CommissionerKind.LOCAL_AUTHORITY,
        "Social Prescribing Programme Manager",
        ("cwm-taf-morgannwg",),
    ),
    (
        "Partneriaeth Ranbarthol y Canolbarth",
        CommissionerKind.REGIONAL_PARTNERSHIP_BOARD,
        "Integration Fund Officer",
        ("powys", "hywel-dda"),
    ),
    ("Hafren Arts and Wellbeing Trust", CommissionerKind.FUNDER, "Grants Manager", ("powys", "betsi-cadwaladr")),
    (
        "Swansea Bay University Health Board",
        CommissionerKind.HEALTH_BOARD,
        "Dementia Pathway Commissioner",
        ("swansea-bay",),
    ),
    (
        "Bay and Valleys Regional Partnership",
        CommissionerKind.REGIONAL_PARTNERSHIP_BOARD,
        "Programme Lead, Older People",
        ("cardiff-vale", "cwm-taf-morgannwg", "aneurin-bevan"),
    ),
]


@dataclass
class Person:
    """One demo account and what its profile should hold (slugs, resolved when saved)."""

    email: str
    name: str
    role: Role
    language: str
    profile: dict = field(default_factory=dict)
    conditions: dict[str, Experience] | list[str] = field(default_factory=list)
    art_forms: list[str] = field(default_factory=list)
    boards: list[str] = field(default_factory=list)


def _phrase(condition: Condition | ArtForm) -> str:
    """A name that reads well mid-sentence: 'dementia', 'long COVID', "Parkinson's"."""
    name = condition.name_en
    if name[:2].isupper() or condition.slug == "parkinsons":
        return name
    return name[0].lower() + name[1:]


def _pick_conditions(rng: random.Random, count: int) -> list[str]:
    """Distinct condition slugs, drawn by how often they come up."""
    slugs = list(CONDITION_WEIGHTS)
    weights = list(CONDITION_WEIGHTS.values())
    chosen: list[str] = []
    while len(chosen) < count:
        slug = rng.choices(slugs, weights)[0]
        if slug not in chosen:
            chosen.append(slug)
    return chosen


def _name(rng: random.Random) -> str:
    """A fictional person's name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _languages(rng: random.Random, welsh: bool, bsl_chance: float = 0.06) -> list[str]:
    """English always; Welsh if Welsh-speaking; BSL now and then."""
    languages = ["en"]
    if welsh:
        languages.append("cy")
    if rng.random() < bsl_chance:
        languages.append("bsl")
    return languages


def _creatives(rng: random.Random, reference: dict[str, dict]) -> list[Person]:
    """Everyone in the creative organisations, members of two-member organisations included."""
    people: list[Person] = []
    today = date.today()
    for index, (org, board, kind, welsh, arts, contact) in enumerate(ORGANISATIONS):
        art_forms = list(arts)
        extra = [slug for slug in reference["art"] if slug not in art_forms]
        art_forms += rng.sample(extra, rng.choice((0, 0, 1, 1, 2)))
        condition_slugs = _pick_conditions(rng, rng.choice((1, 2, 2, 3, 3, 4)))
        conditions = {
            slug: rng.choices((Experience.SPECIALIST, Experience.EXPERIENCED, Experience.OPEN), (25, 45, 30))[0]
            for slug in condition_slugs
        }
        boards = [board]
        if rng.random() < 0.3:
            boards.append(rng.choice(NEIGHBOURS[board]))
        mode = rng.random()
        link = rng.choices((PrescribingLink.NONE, PrescribingLink.INFORMAL, PrescribingLink.FORMAL), (50, 30, 20))[0]
        short_term = rng.random() < 0.2
        languages = _languages(rng, welsh)
        cond_names = [reference["condition"][slug] for slug in condition_slugs]
        art_names = [reference["art"][slug] for slug in art_forms]
        description_en = rng.choice(DESCRIPTIONS_EN).format(
            name=org, art=_phrase(art_names[0]), cond=LIVING_WITH.get(condition_slugs[0], _phrase(cond_names[0]))
        )
        description_cy = ""
        if welsh or rng.random() < 0.2:
            description_cy = rng.choice(DESCRIPTIONS_CY).format(
                name=org,
                arts=", ".join(a.name_cy.lower() for a in art_names),
                conds=", ".join(c.name_cy.lower() if c.slug != "parkinsons" else c.name_cy for c in cond_names),
            )
        website = f"https://{organisation_key(org).replace(' ', '-')}.{DOMAIN}" if rng.random() < 0.8 else ""
        profile = {
            "organisation_name": org,
            "organisation_kind": kind,
            "description_en": description_en,
            "description_cy": description_cy,
            "website": website,
            "languages": languages,
            "online": mode < 0.7,
            "in_person": mode >= 0.2,
            "prescribing_link": link,
            "horizon": Horizon.SHORT_TERM if short_term else Horizon.ONGOING,
            "project_ends_on": today + timedelta(days=rng.randint(120, 540)) if short_term else None,
            "access_captions": rng.random() < 0.2,
            "access_bsl": "bsl" in languages,
            "access_breaks": rng.random() < 0.2,
            "access_other": rng.choice(ACCESS_OTHER) if rng.random() < 0.1 else "",
            "directory_consent": rng.random() < 0.9,
        }
        members = [contact or _name(rng)]
        if index in TWO_MEMBERS:
            members.append(_name(rng))
        for name in members:
            people.append(
                Person(
                    email="",
                    name=name,
                    role=Role.CREATIVE,
                    language="cy" if welsh and rng.random() < 0.7 else "en",
                    profile=dict(profile),
                    conditions=dict(conditions),
                    art_forms=art_forms,
                    boards=boards,
                )
            )
    for number, person in enumerate(people, start=1):
        person.email = f"creative{number:02d}@{DOMAIN}"
    return people


def _link_workers(rng: random.Random) -> list[Person]:
    """Fifteen link workers, at least two in every health board."""
    people = []
    for number, (employer, board, cluster) in enumerate(LINK_WORKER_EMPLOYERS, start=1):
        welsh = board in ("betsi-cadwaladr", "hywel-dda") or rng.random() < 0.15
        people.append(
            Person(
                email=f"linkworker{number:02d}@{DOMAIN}",
                name=_name(rng),
                role=Role.LINK_WORKER,
                language="cy" if welsh and rng.random() < 0.6 else "en",
                profile={
                    "employer": employer,
                    "gp_cluster": f"{cluster} cluster" if cluster else "",
                    "languages": _languages(rng, welsh, bsl_chance=0.1),
                    "capacity": rng.choice((1, 2, 2, 3, 3, 4)),
                },
                conditions=_pick_conditions(rng, rng.randint(3, 6)),
                boards=[board],
            )
        )
    return people


def _commissioners(rng: random.Random) -> list[Person]:
    """Eight commissioners from health boards, councils, partnership boards and a funder."""
    people = []
    for number, (organisation, kind, title, boards) in enumerate(COMMISSIONERS, start=1):
        welsh = "betsi-cadwaladr" in boards or "hywel-dda" in boards
        people.append(
            Person(
                email=f"commissioner{number:02d}@{DOMAIN}",
                name=_name(rng),
                role=Role.COMMISSIONER,
                language="cy" if welsh and rng.random() < 0.5 else "en",
                profile={
                    "organisation": organisation,
                    "organisation_kind": kind,
                    "job_title": title,
                    "languages": _languages(rng, welsh, bsl_chance=0.0),
                },
                conditions=_pick_conditions(rng, rng.randint(2, 5)),
                boards=list(boards),
            )
        )
    return people


def demo_people(reference: dict[str, dict]) -> list[Person]:
    """Every demo person, the same on every run (seeded)."""
    rng = random.Random(SEED)
    return _creatives(rng, reference) + _link_workers(rng) + _commissioners(rng)


def _reference() -> dict[str, dict]:
    """Conditions, art forms and boards by slug."""
    return {
        "condition": {c.slug: c for c in db.session.scalars(select(Condition))},
        "art": {a.slug: a for a in db.session.scalars(select(ArtForm).order_by(ArtForm.position))},
        "board": {b.slug: b for b in db.session.scalars(select(HealthBoard))},
    }


def _make_profile(person: Person, user: User, reference: dict[str, dict]) -> None:
    """Create the person's profile from its plan."""
    boards = [reference["board"][slug] for slug in person.boards]
    if person.role == Role.CREATIVE:
        profile = CreativeProfile(
            user_id=user.id, organisation_key=organisation_key(person.profile["organisation_name"]), **person.profile
        )
        profile.art_forms = [reference["art"][slug] for slug in person.art_forms]
        profile.health_boards = boards
        assert isinstance(person.conditions, dict)
        profile.conditions = [
            CreativeCondition(condition_id=reference["condition"][slug].id, experience=experience)
            for slug, experience in person.conditions.items()
        ]
        db.session.add(profile)
    elif person.role == Role.LINK_WORKER:
        worker = LinkWorkerProfile(user_id=user.id, health_board_id=boards[0].id, **person.profile)
        worker.conditions = [reference["condition"][slug] for slug in person.conditions]
        db.session.add(worker)
    else:
        commissioner = CommissionerProfile(user_id=user.id, **person.profile)
        commissioner.conditions = [reference["condition"][slug] for slug in person.conditions]
        commissioner.health_boards = boards
        db.session.add(commissioner)


def load_demo_people() -> int:
    """Create the demo people who are missing (approved, verified, with profiles); returns how many."""
    from matchmaker.accounts.service import hash_password
    from matchmaker.demo.passwords import demo_password
    from matchmaker.reference.service import seed_reference_data

    seed_reference_data()
    reference = _reference()
    existing = set(db.session.scalars(select(User.email).where(User.email.like(f"%@{DOMAIN}"))))
    missing = [p for p in demo_people(reference) if p.email not in existing]
    if not missing:
        return 0
    password_hash = hash_password(demo_password())  # one hash for all: argon2 is deliberately slow
    now = utcnow()
    for person in missing:
        user = User(
            email=person.email,
            name=person.name,
            role=person.role,
            language=person.language,
            password_hash=password_hash,
            email_verified_at=now,
            approval=Approval.APPROVED,
            approval_decided_at=now,
        )
        db.session.add(user)
        db.session.flush()
        _make_profile(person, user, reference)
    db.session.commit()
    return len(missing)
