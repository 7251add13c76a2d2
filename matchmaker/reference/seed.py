"""The reference data every installation starts with. Seeding is idempotent (by slug)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models.reference import ArtForm, Condition, ConditionKind, HealthBoard

CONDITIONS: list[tuple[str, str, str, ConditionKind]] = [
    ("dementia", "Dementia", "Dementia", ConditionKind.CONDITION),
    ("stroke", "Stroke", "Strôc", ConditionKind.CONDITION),
    ("parkinsons", "Parkinson's", "Clefyd Parkinson", ConditionKind.CONDITION),
    ("mental-health", "Mental health", "Iechyd meddwl", ConditionKind.CONDITION),
    ("loneliness", "Anxiety, loneliness and isolation", "Gorbryder, unigrwydd ac ynysigrwydd", ConditionKind.GROUP),
    ("chronic-pain", "Chronic pain", "Poen cronig", ConditionKind.CONDITION),
    ("long-covid", "Long COVID", "COVID hir", ConditionKind.CONDITION),
    ("cancer", "Cancer", "Canser", ConditionKind.CONDITION),
    ("respiratory", "Respiratory conditions and COPD", "Cyflyrau anadlol a COPD", ConditionKind.CONDITION),
    ("learning-disability", "Learning disability", "Anabledd dysgu", ConditionKind.GROUP),
    ("frailty-falls", "Frailty and falls", "Eiddilwch a chwympiadau", ConditionKind.CONDITION),
    ("substance-use", "Substance use and recovery", "Camddefnyddio sylweddau ac adferiad", ConditionKind.GROUP),
    ("perinatal", "Perinatal mental health", "Iechyd meddwl amenedigol", ConditionKind.CONDITION),
    (
        "cyp-mental-health",
        "Children and young people's mental health",
        "Iechyd meddwl plant a phobl ifanc",
        ConditionKind.GROUP,
    ),
    ("end-of-life", "End of life and bereavement", "Diwedd oes a phrofedigaeth", ConditionKind.GROUP),
]

ART_FORMS: list[tuple[str, str, str]] = [
    ("music", "Music", "Cerddoriaeth"),
    ("singing", "Singing", "Canu"),
    ("dance", "Dance and movement", "Dawns a symud"),
    ("visual-art", "Visual art", "Celf weledol"),
    ("creative-writing", "Creative writing", "Ysgrifennu creadigol"),
    ("theatre", "Theatre and drama", "Theatr a drama"),
    ("crafts", "Crafts", "Crefftau"),
    ("photography-film", "Photography and film", "Ffotograffiaeth a ffilm"),
    ("digital-arts", "Digital arts", "Celfyddydau digidol"),
    ("heritage", "Heritage", "Treftadaeth"),
    ("nature-arts", "Nature-based arts", "Celfyddydau ym myd natur"),
    ("storytelling", "Storytelling", "Adrodd straeon"),
    ("poetry", "Poetry", "Barddoniaeth"),
]

HEALTH_BOARDS: list[tuple[str, str, str]] = [
    ("aneurin-bevan", "Aneurin Bevan University Health Board", "Bwrdd Iechyd Prifysgol Aneurin Bevan"),
    ("betsi-cadwaladr", "Betsi Cadwaladr University Health Board", "Bwrdd Iechyd Prifysgol Betsi Cadwaladr"),
    ("cardiff-vale", "Cardiff and Vale University Health Board", "Bwrdd Iechyd Prifysgol Caerdydd a'r Fro"),
    ("cwm-taf-morgannwg", "Cwm Taf Morgannwg University Health Board", "Bwrdd Iechyd Prifysgol Cwm Taf Morgannwg"),
    ("hywel-dda", "Hywel Dda University Health Board", "Bwrdd Iechyd Prifysgol Hywel Dda"),
    ("powys", "Powys Teaching Health Board", "Bwrdd Iechyd Addysgu Powys"),
    ("swansea-bay", "Swansea Bay University Health Board", "Bwrdd Iechyd Prifysgol Bae Abertawe"),
]


def seed_reference_data() -> int:
    """Insert any missing reference rows (never overwrites organisers' edits); returns rows added."""
    added = 0
    for position, (slug, en, cy, kind) in enumerate(CONDITIONS):
        if db.session.scalar(select(Condition.id).where(Condition.slug == slug)) is None:
            db.session.add(Condition(slug=slug, name_en=en, name_cy=cy, kind=kind, position=position))
            added += 1
    for model, rows in ((ArtForm, ART_FORMS), (HealthBoard, HEALTH_BOARDS)):
        for position, (slug, en, cy) in enumerate(rows):
            if db.session.scalar(select(model.id).where(model.slug == slug)) is None:
                db.session.add(model(slug=slug, name_en=en, name_cy=cy, position=position))
                added += 1
    db.session.commit()
    return added


@click.group("reference")
def reference_cli() -> None:
    """Reference data."""


@reference_cli.command("seed")
@with_appcontext
def seed_command() -> None:
    """Add the standard conditions, art forms and health boards (idempotent)."""
    click.echo(f"Reference data: {seed_reference_data()} rows added.")
