"""The composed statement reads as one English sentence, whatever way the qualities were
jotted down."""

import pytest

from attract.attraction import selectors, services
from attract.attraction.statement_phrasing import as_clause, attraction_statement


@pytest.mark.parametrize(
    ("quality", "clause"),
    [
        ("Values quality over the lowest price", "value quality over the lowest price"),
        ("Pays on time.", "pay on time"),
        ("Treats our staff with respect", "treat our staff with respect"),
        ("Pay on time", "pay on time"),
        ("Always pays on time", "always pay on time"),
        ("Open to new ideas", "are open to new ideas"),
        ("Located within a day's drive", "are located within a day's drive"),
        ("Loyal", "are loyal"),
        ("Curious!", "are curious"),
        ("Is honest about the budget", "are honest about the budget"),
        ("Has a budget", "have a budget"),
        ("Tries new things", "try new things"),
        ("Watches the details", "watch the details"),
        ("Refers friends and colleagues", "refer friends and colleagues"),
        ("Values our work and pays the price", "value our work and pay the price"),
        ("IKEA shoppers", "IKEA shoppers"),
        ("  Respectful   of our time; ", "are respectful of our time"),
        ("Płaci na czas", "płaci na czas"),
        ("時間を守る", "時間を守る"),
    ],
)
def test_each_quality_becomes_the_rest_of_customers_who(quality, clause):
    assert as_clause(quality) == clause


def test_the_clauses_join_with_commas_and_a_final_and_and_end_with_one_full_stop():
    assert attraction_statement(
        ["Values quality over the lowest price.", "Treats our staff with respect", "Pays on time."]
    ) == (
        "I am in the process of attracting customers who value quality over the lowest price, "
        "treat our staff with respect and pay on time."
    )
    assert attraction_statement(["Loyal"]) == (
        "I am in the process of attracting customers who are loyal."
    )
    assert attraction_statement(["", "  "]) == ""


def test_the_plan_composes_the_sample_plans_sentence(owner):
    for text, weight in [
        ("Values quality over the lowest price", 5),
        ("Pays on time", 4),
        ("Makes decisions quickly", 3),
        ("Treats our staff with respect", 5),
    ]:
        services.quality_create(actor=owner, text=text, weight=weight)
    assert selectors.statement_for(services.plan_get()) == (
        "I am in the process of attracting customers who value quality over the lowest price, "
        "treat our staff with respect and pay on time."
    )
