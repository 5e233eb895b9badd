"""Sample companies and persons as plain rows, built from a seed for `attract demo` and
`make bench`. Nothing here touches the database, so the same seed gives the very same names,
emails and phones on any machine (with the same Faker version)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from faker import Faker

from attract.core.search_text import search_key
from attract.people.models import CompanySize, Relationship

# Locale → (country, phone pattern, weight). Each pattern yields numbers that libphonenumber
# accepts, so the sample data passes our own validation; the weights make the sample look
# like a European-American business with customers further afield.
LOCALES: dict[str, tuple[str, str, int]] = {
    "en_US": ("United States", "+1212555{:04d}", 16),
    "en_GB": ("United Kingdom", "+44207946{:04d}", 10),
    "de_DE": ("Germany", "+4930{:08d}", 10),
    "fr_FR": ("France", "+331{:08d}", 9),
    "es_ES": ("Spain", "+3491{:07d}", 7),
    "it_IT": ("Italy", "+3906{:08d}", 6),
    "nl_NL": ("Netherlands", "+3120{:07d}", 5),
    "pl_PL": ("Poland", "+4822{:07d}", 5),
    "pt_BR": ("Brazil", "+55119{:08d}", 6),
    "sv_SE": ("Sweden", "+468{:08d}", 4),
    "ja_JP": ("Japan", "+813{:08d}", 6),
    "zh_CN": ("China", "+86108{:07d}", 6),
    "ko_KR": ("South Korea", "+822{:08d}", 3),
    "el_GR": ("Greece", "+3021{:08d}", 3),
    "ru_RU": ("Russia", "+7495{:07d}", 4),
}
INDUSTRIES = [
    "Accounting", "Architecture", "Bakery", "Coaching", "Construction", "Consulting",
    "Dental practice", "Design studio", "E-commerce", "Education", "Events", "Fitness",
    "Florist", "Healthcare", "Hospitality", "IT services", "Landscaping", "Legal",
    "Logistics", "Manufacturing", "Marketing agency", "Photography", "Real estate", "Retail",
    "Software", "Translation", "Veterinary", "Wholesale",
]  # fmt: skip
TAGS = ["newsletter", "event-2026", "referral", "vip", "local", "webinar", "trade-show", "warm"]
RELATIONSHIPS = [
    Relationship.PROSPECT,
    Relationship.CUSTOMER,
    Relationship.FORMER_CUSTOMER,
    Relationship.PARTNER,
]
RELATIONSHIP_WEIGHTS = [55, 30, 8, 7]
SIZES = [s.value for s in CompanySize]
# Domains reserved for examples (RFC 2606), so no sample address can reach a real inbox.
FREE_MAIL_DOMAINS = ["example.com", "example.org", "example.net"]
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class CompanyRow:
    name: str
    website: str
    industry: str
    size: str
    street: str
    city: str
    postal_code: str
    country: str
    relationship: str
    customer_days_ago: int | None
    created_days_ago: int
    owner_index: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class PersonRow:
    first_name: str
    last_name: str
    job_title: str
    company_index: int | None
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    created_days_ago: int
    owner_index: int
    tags: tuple[str, ...]


def _slug(*parts: str) -> str:
    """ASCII letters and digits joined by dots; empty for names in other scripts."""
    words = [_NOT_SLUG.sub("", w) for w in search_key(*parts).split()]
    return ".".join(w for w in words if w)


class _Pool:
    """Values drawn once from a locale's Faker, then picked at random. Faker weighs names by
    frequency at some 20 µs a call: too slow for the benchmark's 100,000 persons."""

    size = 250

    def __init__(self, fake: Faker) -> None:
        self.fake = fake
        self.values: dict[str, list[str]] = {}

    def pick(self, rng: random.Random, kind: str) -> str:
        values = self.values.get(kind)
        if values is None:
            make = getattr(self.fake, kind)
            values = self.values[kind] = [make() for _ in range(self.size)]
        return rng.choice(values)


def _owner_index(rng: random.Random, owner_count: int) -> int:
    # The owner (index 0) keeps about half of the records; the team shares the rest.
    return 0 if rng.random() < 0.5 else rng.randrange(owner_count)


class _UniqueEmails:
    """Hands out addresses, numbering repeats (anna.lee@, anna.lee.2@) in a fixed order."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def make(self, local: str, domain: str) -> str:
        base = f"{local}@{domain}"
        count = self.seen.get(base, 0) + 1
        self.seen[base] = count
        return base if count == 1 else f"{local}.{count}@{domain}"


def people_demo_rows(
    *, seed: int, companies: int, persons: int, owner_count: int = 1
) -> tuple[list[CompanyRow], list[PersonRow]]:
    """Plausible companies and persons in several languages and scripts, the same for a seed."""
    rng = random.Random(seed)
    locales = list(LOCALES)
    weights = [LOCALES[locale][2] for locale in locales]
    fakers = {}
    for index, locale in enumerate(locales):
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(seed * 1000 + index)
    pools = {locale: _Pool(fake) for locale, fake in fakers.items()}
    slugs: dict[tuple[str, str], str] = {}

    company_rows: list[CompanyRow] = []
    company_meta: list[tuple[str, str]] = []  # (locale, email domain) per company
    for index in range(companies):
        locale = rng.choices(locales, weights)[0]
        fake = fakers[locale]
        name = fake.company()[:200]
        relationship = rng.choices(RELATIONSHIPS, RELATIONSHIP_WEIGHTS)[0]
        customer_days_ago = None
        if relationship in (Relationship.CUSTOMER, Relationship.FORMER_CUSTOMER):
            customer_days_ago = rng.randrange(30, 2000)
        domain = f"{(_slug(name).replace('.', '-') or f'company-{index + 1}')[:40]}.example"
        company_rows.append(
            CompanyRow(
                name=name,
                website=f"https://www.{domain}",
                industry=rng.choice(INDUSTRIES),
                size=rng.choice(SIZES),
                street=fake.street_address()[:200],
                city=pools[locale].pick(rng, "city")[:100],
                postal_code=fake.postcode()[:20],
                country=LOCALES[locale][0],
                relationship=relationship,
                customer_days_ago=customer_days_ago,
                created_days_ago=rng.randrange(0, 730),
                owner_index=_owner_index(rng, owner_count),
                tags=tuple(rng.sample(TAGS, rng.randrange(0, 3))),
            )
        )
        company_meta.append((locale, domain))

    emails = _UniqueEmails()
    person_rows: list[PersonRow] = []
    for _ in range(persons):
        company_index = None
        if company_rows and rng.random() < 0.9:
            company_index = rng.randrange(len(company_rows))
            locale, domain = company_meta[company_index]
        else:
            locale, domain = rng.choices(locales, weights)[0], rng.choice(FREE_MAIL_DOMAINS)
        pool = pools[locale]
        gender = "female" if rng.random() < 0.5 else "male"
        first = pool.pick(rng, f"first_name_{gender}")
        last = pool.pick(rng, f"last_name_{gender}")
        # Names in Greek, Cyrillic or CJK script have no ASCII spelling here; such people
        # get a neutral mailbox name, as many do in real life.
        local = slugs.get((first, last))
        if local is None:
            local = slugs[first, last] = _slug(first, last) or "contact"
        pattern = LOCALES[locale][1]
        width = int(pattern.rsplit(":", 1)[1].rstrip("d}"))
        phones: list[str] = []
        if rng.random() < 0.85:
            phones.append(pattern.format(rng.randrange(10 ** (width - 1), 10**width)))
        person_rows.append(
            PersonRow(
                first_name=first[:100],
                last_name=last[:100],
                job_title=pool.pick(rng, "job")[:150],
                company_index=company_index,
                emails=(emails.make(local, domain),),
                phones=tuple(phones),
                created_days_ago=rng.randrange(0, 730),
                owner_index=_owner_index(rng, owner_count),
                tags=tuple(rng.sample(TAGS, rng.randrange(0, 2))),
            )
        )
    return company_rows, person_rows
