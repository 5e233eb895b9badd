"""The starter letters every installation begins with, in our own words: the letters the
daily rhythm and the care after a sale call for. They are ordinary templates once seeded —
the business edits, renames or trashes them; seeding again never adds one twice (it goes by
`starter_key`, even for a starter in the trash)."""

from __future__ import annotations

STARTERS: tuple[dict[str, str], ...] = (
    {
        "starter_key": "previous_customer_referral",
        "name": "Thank a previous customer, ask for a referral",
        "subject": "Thank you, {{ first_name }}",
        "body": (
            "Dear {{ first_name }},\n\n"
            "It has been a while since we worked together, and I still think of it with "
            "pleasure. Thank you for choosing us.\n\n"
            "If someone you know could use what we did for you, I would be glad to meet them. "
            "A name and a line about what they need is all it takes; I will take good care "
            "of them.\n\n"
            "With thanks,\n{{ signature }}"
        ),
    },
    {
        "starter_key": "referrer_thanks",
        "name": "Thank a referrer",
        "subject": "Thank you for the introduction",
        "body": (
            "Dear {{ first_name }},\n\n"
            "Thank you for sending someone our way. Being recommended by you means a great "
            "deal, and I will make sure your trust is well placed.\n\n"
            "If I can return the favour, tell me who you would like to meet.\n\n"
            "Warmly,\n{{ signature }}"
        ),
    },
    {
        "starter_key": "testimonial_request",
        "name": "Ask for a testimonial",
        "subject": "Would you say a few words, {{ first_name }}?",
        "body": (
            "Dear {{ first_name }},\n\n"
            "I am glad our work for {{ company }} went well. Would you write two or three "
            "sentences about it, in your own words, that I could share with people who are "
            "where you were before we met?\n\n"
            "Tell me too whether I may use your name, your first name only, or neither.\n\n"
            "Thank you,\n{{ signature }}"
        ),
    },
    {
        "starter_key": "exit_survey",
        "name": "Invite a departed customer to the exit survey",
        "subject": "Two minutes to tell us what we could do better",
        "body": (
            "Dear {{ first_name }},\n\n"
            "Thank you for the time you were our customer. We would like to learn why you "
            "left and what we could have done better, honestly, even if it is not "
            "comfortable to hear.\n\n"
            "This private link takes two minutes and needs no login:\n{{ survey_link }}\n\n"
            "Thank you,\n{{ signature }}"
        ),
    },
    {
        "starter_key": "care_check_in",
        "name": "Care check-in",
        "subject": "How is everything going, {{ first_name }}?",
        "body": (
            "Dear {{ first_name }},\n\n"
            "I wanted to check in and hear how things are going for you and {{ company }}. "
            "Is everything working as you hoped? Is there anything we could make easier?\n\n"
            "Just reply to this e-mail; I read every answer myself.\n\n"
            "Best regards,\n{{ signature }}"
        ),
    },
)


def starters_seed(template_model) -> int:
    """Add the starters missing from the table; returns how many were added. Takes the model
    so the data migration can pass its historical one."""
    have = set(
        template_model._base_manager.exclude(starter_key="").values_list("starter_key", flat=True)
    )
    names = {n.lower() for n in template_model._base_manager.values_list("name", flat=True)}
    added = 0
    for starter in STARTERS:
        if starter["starter_key"] in have or starter["name"].lower() in names:
            continue
        template_model._base_manager.create(**starter)
        added += 1
    return added
